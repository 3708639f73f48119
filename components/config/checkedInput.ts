import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { ConfigError } from "./configError";
import { KeyStyle, toProblems } from "./parse";

type MaybeOutput<T> = T | Promise<T> | pulumi.OutputInstance<T>;

/**
 * A value that may be an Output (another stack's, a resource's): plain values were validated with the config;
 * an Output is validated when it resolves, with the same message, and then fails the preview or update before the
 * resource that uses it is sent.
 * A secret stays secret, and its value is never shown in the message.
 */
export function checkedInput<T>(value: MaybeOutput<T>, schema: z.ZodType<T>, path: (string | number)[], style: KeyStyle): pulumi.Input<T> {
  if (!pulumi.Output.isInstance(value) && !(value instanceof Promise)) return value as T;
  const output = pulumi.output(value as pulumi.Input<T>) as pulumi.Output<T>;
  const isSecret = (output as unknown as { isSecret: Promise<boolean> }).isSecret;
  return output.apply(async (resolved) => {
    const result = schema.safeParse(resolved);
    if (result.success) return result.data;
    const secret = await isSecret;
    const problems = toProblems(result.error, resolved, { ...style, basePath: [...(style.basePath ?? []), ...path] }).map((p) => ({
      ...p,
      given: secret ? "a secret value (not shown)" : `an Output that resolved to ${p.given}`,
    }));
    // The one clean line the user reads (no stack trace); the throw stops the resource from being created with it.
    const error = new ConfigError(problems);
    pulumi.log.error(error.message);
    throw error;
  }) as pulumi.Output<T>;
}
