import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";

/** `f` of a value that may be an Output: applied now when it is plain (the result stays plain), when it resolves otherwise. */
export function mapInput<T, U>(value: T | pulumi.Output<T>, f: (value: T) => U): U | pulumi.Output<U> {
  return pulumi.Output.isInstance(value) ? (value.apply(f) as unknown as pulumi.Output<U>) : f(value);
}

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
