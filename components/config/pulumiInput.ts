import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";

/**
 * A value that may be a `pulumi.Input` when a program passes it, checked by `inner` whenever it is known
 * (always for stack config, which is plain).
 */
export function inputOf<T>(inner: z.ZodType<T, T>) {
  const unknownYet = z.custom<Promise<T> | pulumi.OutputInstance<T>>(
    (v) => pulumi.Output.isInstance(v) || v instanceof Promise,
  );
  return z.union([inner, unknownYet]);
}
