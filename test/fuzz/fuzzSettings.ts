import * as pulumi from "@pulumi/pulumi";
import fc from "fast-check";
import { ConfigError, isConfigError } from "../../components/config/configError";
import { stackConfigKeys } from "../../components/config/parse";
import { resolvePlatformConfig } from "../../components/config/resolve";
import { main } from "../../stacks/program";
import { KubernetesObject, kubernetesObjects } from "../../tools/kubernetesObjects";
import { ProgramRun, settleProgram } from "../../tools/mockRunner";
import { Config, Dimension, dimensions, validConfigArbitrary } from "../support/configArbitrary";
import { validateObjects } from "../support/schemas";

/** The long fuzz's size (jest.fuzz.config.js `globals`); unset in `npm test`. */
declare const fuzzValidRuns: number | undefined;
/**
 * Valid configs per run, over all shards: 600 in `npm run test:fuzz` (CI runs it: at least 500 per CI run), 100 in
 * `npm test`, which runs shard 1 alone (50 configs; jest.config.js), where the distribution floors below still hold
 * (each value at least once per shard); FUZZ_RUNS overrides both.
 */
export const validRuns = Number(process.env.FUZZ_RUNS ?? (typeof fuzzValidRuns === "number" ? fuzzValidRuns : 100));
/** The valid-config fuzz runs in this many test files, so jest's workers share it. */
export const validShards = 2;
export const brokenRuns = Math.ceil(validRuns / 3);
export const noisyRuns = Math.ceil(validRuns / 5);

/** FUZZ_SEED replays a run (each shard offsets it); unset, fast-check picks and prints one. */
export function seedFor(offset: number): number | undefined {
  return process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) + offset : undefined;
}

/**
 * Render a config as stack config. Preview warnings are collected rather than printed (each one printed through
 * jest's console cost more than a render): they must be sentences that name no `undefined`.
 */
export async function renderConfig(config: Config): Promise<ProgramRun & { error?: unknown }> {
  const stackConfig = Object.fromEntries(Object.entries(config).map(([k, v]) => [`websocket-platform:${k}`, v]));
  const warnings: string[] = [];
  const warn = jest.spyOn(pulumi.log, "warn").mockImplementation(async (message) => void warnings.push(message));
  try {
    return await settleProgram(main, { stack: "fuzz", config: stackConfig });
  } finally {
    warn.mockRestore();
    for (const warning of warnings) {
      expect(warning).toMatch(/^\S.{20,}[.)]$/s);
      expect(warning).not.toMatch(/\bundefined\b|\[object Object\]/);
    }
  }
}

const identity = (o: KubernetesObject) => `${o.apiVersion} ${o.kind} ${o.metadata?.namespace ?? ""}/${o.metadata?.name}`;

/**
 * One shard of the valid-config fuzz: every config renders, no two objects share an identity, every object passes the
 * upstream schemas, and every value of every dimension turns up (the distribution is printed).
 */
export async function validConfigFuzz(shard: number): Promise<void> {
  const runs = Math.ceil(validRuns / validShards);
  const rendered = new Map<string, KubernetesObject>();
  const tally = Object.fromEntries(Object.keys(dimensions).map((d) => [d, new Map<string, number>()])) as Record<Dimension, Map<string, number>>;
  await fc.assert(
    fc.asyncProperty(validConfigArbitrary(), async (config) => {
      const run = await renderConfig(config);
      if (run.error !== undefined) throw run.error;
      const objects = kubernetesObjects(run.resources);
      // Two objects of one identity: the second would fail at `pulumi up` ("already exists").
      const identities = objects.map(identity);
      expect(identities.filter((id, i) => identities.indexOf(id) !== i)).toEqual([]);
      for (const o of objects) rendered.set(JSON.stringify(o), o);
      const { settings } = resolvePlatformConfig(config, stackConfigKeys);
      for (const [name, dimension] of Object.entries(dimensions) as [Dimension, (typeof dimensions)[Dimension]][]) {
        const value = dimension.of(settings);
        if (value !== undefined) tally[name].set(value, (tally[name].get(value) ?? 0) + 1);
      }
    }),
    { numRuns: runs, seed: seedFor(shard) },
  );
  const table = Object.entries(tally).map(([name, counts]) => `  ${name}: ${[...counts].sort().map(([v, n]) => `${v} ${n}`).join(", ")}`);
  console.log(`Valid configs by dimension (shard ${shard} of ${validShards}, ${runs} configs, ${rendered.size} distinct objects):\n${table.join("\n")}`);
  // Comparable frequency: each value reaches 30 % of an even share of the configs its dimension applies to; on small
  // runs (FUZZ_RUNS locally) the floor drops to 4 standard deviations below that share, and never below 1.
  const rare: string[] = [];
  for (const [name, dimension] of Object.entries(dimensions) as [Dimension, (typeof dimensions)[Dimension]][]) {
    const counts = tally[name];
    const applicable = [...counts.values()].reduce((a, b) => a + b, 0);
    const p = 1 / dimension.values.length;
    const share = applicable * p;
    const floor = Math.max(1, Math.floor(Math.min(0.3 * share, share - 4 * Math.sqrt(applicable * p * (1 - p)))));
    for (const value of dimension.values) if ((counts.get(value) ?? 0) < floor) rare.push(`${name} ${value}: ${counts.get(value) ?? 0} < ${floor}`);
  }
  expect(rare).toEqual([]);
  expect(validateObjects([...rendered.values()])).toEqual([]);
}

export { ConfigError, isConfigError, kubernetesObjects };
