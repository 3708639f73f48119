import * as pulumi from "@pulumi/pulumi";

/** One bad value: where it is, as the user writes it, what was given and what is allowed. */
export interface ConfigProblem {
  key: string;
  given: string;
  allowed: string;
}

/**
 * All problems of one config at once. A `RunError` so that `pulumi preview` prints the message without a
 * stack trace, before any resource is registered.
 */
export class ConfigError extends pulumi.RunError {
  readonly problems: ConfigProblem[];

  constructor(problems: ConfigProblem[]) {
    super(formatProblems(problems));
    this.name = "ConfigError";
    this.problems = problems;
    Object.setPrototypeOf(this, ConfigError.prototype);
  }
}

export function formatProblems(problems: ConfigProblem[]): string {
  const lines = problems.map((p) => `  - ${p.key}: got ${p.given}; allowed: ${p.allowed}`);
  const noun = problems.length === 1 ? "value" : "values";
  return [`Invalid configuration (${problems.length} ${noun}):`, ...lines].join("\n");
}

/** A printable rendering of any value the user gave, never `undefined` without saying so. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing (the key is missing)";
  if (value === null) return "null";
  if (typeof value === "string") return JSON.stringify(value);
  if (pulumi.Output.isInstance(value)) return "an Output";
  try {
    const text = JSON.stringify(value);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
  } catch {
    return String(value);
  }
}

export function isConfigError(error: unknown): error is ConfigError {
  return error instanceof ConfigError || (error instanceof Error && error.name === "ConfigError");
}
