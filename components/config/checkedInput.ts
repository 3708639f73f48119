import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { ConfigError } from "./configError";
import { KeyStyle, problemAt, toProblems } from "./parse";
import { RuleProblem } from "./rules/types";

type MaybeOutput<T> = T | Promise<T> | pulumi.OutputInstance<T>;

/**
 * A value that may be an Output (another stack's, a resource's): plain values were validated with the config;
 * an Output is validated when it resolves, with the same message, and then fails the preview or update before the
 * resource that uses it is sent.
 * A secret stays secret, and its value is never shown in the message. `rules` are the checks across sections that
 * read this value (their paths are whole config paths), run on the resolved value as at preview for plain config.
 */
export function checkedInput<T>(
  value: MaybeOutput<T>,
  schema: z.ZodType<T>,
  path: (string | number)[],
  style: KeyStyle,
  rules?: (resolved: T) => RuleProblem[],
): pulumi.Input<T> {
  if (!pulumi.Output.isInstance(value) && !(value instanceof Promise)) return value as T;
  const output = pulumi.output(value as pulumi.Input<T>) as pulumi.Output<T>;
  const isSecret = (output as unknown as { isSecret: Promise<boolean> }).isSecret;
  return output.apply(async (resolved) => {
    const result = schema.safeParse(resolved);
    const ruleProblems = result.success ? (rules?.(result.data) ?? []) : [];
    if (result.success && ruleProblems.length === 0) return result.data;
    const secret = await isSecret;
    const shown = (given: string) => (secret ? "a secret value (not shown)" : `an Output that resolved to ${given}`);
    const fullPath = [...(style.basePath ?? []), ...path];
    // A rule may name another key (tls.solver); its given is that key's own value. A secret's rules may quote it: none is shown.
    const problems = result.success
      ? ruleProblems.map((p) => {
          const problem = problemAt(p.path, p.given, p.allowed, style);
          if (secret) return { ...problem, given: shown(problem.given), allowed: "a value that passes this check (not shown: it would quote the secret)" };
          return p.path.join(".") === fullPath.join(".") ? { ...problem, given: shown(problem.given) } : problem;
        })
      : toProblems(result.error, resolved, { ...style, basePath: fullPath }).map((p) => ({ ...p, given: shown(p.given) }));
    // The one clean line the user reads (no stack trace); the throw stops the resource from being created with it.
    const error = new ConfigError(problems);
    pulumi.log.error(error.message);
    throw error;
  }) as pulumi.Output<T>;
}
