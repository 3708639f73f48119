import { z } from "zod";

export const environments = ["dev", "staging", "prod"] as const;
export type Environment = (typeof environments)[number];
export const environmentSchema = z.enum(environments);

/** Defaults that differ per environment, given once per section and merged under what the user wrote. */
export type EnvironmentDefaults<T> = Record<Environment, T>;
