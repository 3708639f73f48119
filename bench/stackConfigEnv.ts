// A measured process gets its stack's config as the engine hands it over (an environment variable), not by reading
// Pulumi.<stack>.yaml: a deployed program never parses stack files, so neither `yaml` nor the file read is measured.

export const stackConfigVariable = "BENCH_STACK_CONFIG";

const envByStack = new Map<string, Record<string, string>>();

/** The environment a measured process needs for `stack`, read by the bench (which may parse YAML) once per stack. */
export function stackConfigEnv(stack: string): Record<string, string> {
  let env = envByStack.get(stack);
  if (env === undefined) {
    const { readStackFile } = require("../tools/stackConfig") as typeof import("../tools/stackConfig");
    env = { [stackConfigVariable]: JSON.stringify(readStackFile(stack)) };
    envByStack.set(stack, env);
  }
  return env;
}

/** In the measured process: the config map the bench passed. */
export function benchStackConfig(): Record<string, unknown> {
  const text = process.env[stackConfigVariable];
  if (text === undefined) throw new Error(`${stackConfigVariable} is not set: run this through npm run bench`);
  return JSON.parse(text) as Record<string, unknown>;
}
