import fc from "fast-check";
import { KubernetesObject } from "../../tools/kubernetesObjects";
import { brokenConfigArbitrary, noisyConfigArbitrary } from "../support/configArbitrary";
import { validateObjects } from "../support/schemas";
import { ConfigError, brokenRuns, isConfigError, kubernetesObjects, noisyRuns, renderConfig, seedFor } from "./fuzzSettings";

test(`a valid config with one key broken fails with a config error naming that key (${brokenRuns} configs)`, async () => {
  await fc.assert(
    fc.asyncProperty(brokenConfigArbitrary(), async ({ config, brokenKey }) => {
      const run = await renderConfig(config);
      expect(isConfigError(run.error)).toBe(true);
      expect(kubernetesObjects(run.resources)).toEqual([]);
      const problems = (run.error as ConfigError).problems;
      expect(problems.length).toBeGreaterThan(0);
      // Each problem is the broken key (or a key inside it), or a check on another key whose message names the broken one.
      const leaf = brokenKey.split(/[.[]/).pop()!.replace("]", "");
      const elsewhere = problems.filter(({ key, allowed }) => {
        const named = key.replace(/^websocket-platform:/, "");
        return !(named === brokenKey || named.startsWith(`${brokenKey}.`) || named.startsWith(`${brokenKey}[`) || allowed.includes(leaf));
      });
      expect({ brokenKey, elsewhere }).toEqual({ brokenKey, elsewhere: [] });
    }),
    { numRuns: brokenRuns, seed: seedFor(100) },
  );
});

test(`any noisy config renders valid objects or fails with a config error (${noisyRuns} configs)`, async () => {
  const rendered = new Map<string, KubernetesObject>();
  let rejected = 0;
  await fc.assert(
    fc.asyncProperty(noisyConfigArbitrary(), async (config) => {
      const run = await renderConfig(config);
      const objects = kubernetesObjects(run.resources);
      if (run.error !== undefined) {
        if (!isConfigError(run.error)) throw run.error;
        expect((run.error as Error).message).toMatch(/^Invalid configuration \(\d+ values?\):\n  - websocket-platform:/);
        expect((run.error as Error).message).not.toContain("undefined;");
        expect(objects).toEqual([]);
        rejected++;
      } else {
        for (const o of objects) rendered.set(JSON.stringify(o), o);
      }
    }),
    { numRuns: noisyRuns, seed: seedFor(200) },
  );
  // Noisy configs are mostly wrong somewhere; the valid ones are the fuzz of validConfigs.*.test.ts.
  expect(rejected).toBeGreaterThan(noisyRuns / 2);
  expect(validateObjects([...rendered.values()])).toEqual([]);
});
