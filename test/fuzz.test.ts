import fc from "fast-check";
import { isConfigError } from "../components/config/configError";
import { main } from "../stacks/program";
import { KubernetesObject, kubernetesObjects } from "../tools/kubernetesObjects";
import { settleProgram } from "../tools/mockRunner";
import { platformConfigArbitrary } from "./support/configArbitrary";
import { validateObjects } from "./support/schemas";

const numRuns = process.env.CI ? 500 : 120;

test(`any generated config renders valid objects or fails with a config error (${numRuns} runs)`, async () => {
  const rendered = new Map<string, KubernetesObject>();
  let valid = 0;
  let rejected = 0;
  await fc.assert(
    fc.asyncProperty(platformConfigArbitrary(), async (config) => {
      const stackConfig = Object.fromEntries(Object.entries(config).map(([k, v]) => [`websocket-platform:${k}`, v]));
      const run = await settleProgram(main, { stack: "fuzz", config: stackConfig });
      const objects = kubernetesObjects(run.resources);
      if (run.error !== undefined) {
        if (!isConfigError(run.error)) throw run.error;
        expect((run.error as Error).message).toMatch(/^Invalid configuration \(\d+ values?\):\n  - websocket-platform:/);
        expect((run.error as Error).message).not.toContain("undefined;");
        expect(objects).toEqual([]);
        rejected++;
      } else {
        valid++;
        for (const o of objects) rendered.set(JSON.stringify(o), o);
      }
    }),
    { numRuns, seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined },
  );
  // Both sides must be exercised, or the generator says nothing.
  expect(valid).toBeGreaterThan(numRuns / 20);
  expect(rejected).toBeGreaterThan(numRuns / 20);
  expect(validateObjects([...rendered.values()])).toEqual([]);
});
