import { z } from "zod";

/**
 * dev, staging or prod. An `as const` object, not a tuple-indexed union: Pulumi's cross-language schema inference
 * turns only this form (or a TS enum) into a schema enum; `(typeof tuple)[number]` is rejected as a union type.
 */
export const Environment = { dev: "dev", staging: "staging", prod: "prod" } as const;
export type Environment = (typeof Environment)[keyof typeof Environment];

export const environments = [Environment.dev, Environment.staging, Environment.prod] as const;
export const environmentSchema = z.enum(environments);

/** An unset environment is the strictest one (TLS, NetworkPolicies, HA), as the policy pack assumes too. */
export const defaultEnvironment: Environment = Environment.prod;

/** Defaults that differ per environment, given once per section and merged under what the user wrote. */
export type EnvironmentDefaults<T> = Record<Environment, T>;
