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

/**
 * Keys whose values belong in a Secret, never in config or logs: credentials (apiToken, password, ...) and
 * references to Secrets (`...SecretRef`, `secretKeyRef`), whose misuse is usually a credential pasted in.
 */
export function isSensitiveKey(key: PropertyKey): boolean {
  return typeof key === "string" && /token|secret|passw(or)?d|passphrase|api[_-]?key|access[_-]?key|credential|private[_-]?key|bearer/i.test(key);
}

const notShown = "(not shown)";

/** A URL's user:password part is a credential whatever the key is called (a mirror URL pasted with its token). */
function withoutUrlCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@:]*:[^\s/?#]*@/gi, "$1(credentials not shown)@");
}

/**
 * A printable rendering of a value the user gave at `path`, never `undefined` without saying so. A value under a
 * sensitive key (anywhere on the path, or nested inside) is never printed: errors end up in CI logs.
 */
export function describeValue(value: unknown, path: readonly PropertyKey[] = []): string {
  if (value === undefined) return "nothing (the key is missing)";
  // A boolean is never a secret (allowCredentials: true stays readable).
  const sensitive = typeof value === "boolean" ? undefined : path.find(isSensitiveKey);
  if (sensitive !== undefined) {
    return /ref$/i.test(String(sensitive)) ? `a value (not shown: under ${String(sensitive)}, a reference to a Secret)` : "a value (not shown: it looks like a credential)";
  }
  if (value === null) return "null";
  if (typeof value === "string") return JSON.stringify(withoutUrlCredentials(value));
  if (pulumi.Output.isInstance(value)) return "an Output";
  try {
    let text = JSON.stringify(value, (key, inner) => (key !== "" && isSensitiveKey(key) && inner !== undefined && typeof inner !== "boolean" ? notShown : inner));
    if (text === undefined) return String(value);
    text = withoutUrlCredentials(text);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
  } catch {
    // A cycle (YAML aliases) or a BigInt: say what it is, not what it holds.
    return Array.isArray(value) ? "a list" : typeof value === "object" ? "an object" : typeof value;
  }
}

export function isConfigError(error: unknown): error is ConfigError {
  return error instanceof ConfigError || (error instanceof Error && error.name === "ConfigError");
}
