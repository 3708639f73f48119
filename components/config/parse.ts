import { z } from "zod";
import { ConfigError, ConfigProblem, describeValue } from "./configError";
import { stringsWhereWanted } from "./scalar";

/** Where a config came from decides how keys are named in errors: stack config or a component's args. */
export interface KeyStyle {
  /** `websocket-platform:` for stack config, `WebSocketApp args ` for a component's arguments. */
  prefix: string;
  /** Path of the validated object inside the whole config, e.g. ["app"] when a component validates only its part. */
  basePath?: (string | number)[];
}

export const stackConfigKeys: KeyStyle = { prefix: "websocket-platform:" };

export function formatKey(path: readonly PropertyKey[], style: KeyStyle): string {
  const full = [...(style.basePath ?? []), ...path];
  let text = "";
  for (const part of full) {
    if (typeof part === "number") text += `[${part}]`;
    else text += text === "" ? String(part) : `.${String(part)}`;
  }
  return `${style.prefix}${text === "" ? "(root)" : text}`;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = root;
  for (const part of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

function describeAllowed(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return issue.expected === "int" ? "an integer" : `a value of type ${issue.expected}`;
    case "invalid_value":
      return issue.values.map((v) => JSON.stringify(v)).join(", ");
    case "too_small":
      return issue.origin === "array" || issue.origin === "string"
        ? `at least ${String(issue.minimum)} ${issue.origin === "array" ? "items" : "characters"}`
        : `${issue.inclusive === false ? "more than" : "at least"} ${String(issue.minimum)}`;
    case "too_big":
      return issue.origin === "array" || issue.origin === "string"
        ? `at most ${String(issue.maximum)} ${issue.origin === "array" ? "items" : "characters"}`
        : `${issue.inclusive === false ? "less than" : "at most"} ${String(issue.maximum)}`;
    case "invalid_format":
      return issue.message;
    case "unrecognized_keys":
      return issue.message;
    case "invalid_union":
      return issue.message;
    default:
      return issue.message;
  }
}

/** Keys such as apiToken, secretAccessKey or password: values only ever belong in a Secret. */
export function looksLikeCredential(key: string): boolean {
  return /token|secret|password|passwd|apikey|api_key|accesskey|credential|privatekey/i.test(key) && !/Ref$/.test(key);
}

/** Zod issues as problems the user can act on: the key as they write it, the value they gave, what is allowed. */
export function toProblems(error: z.ZodError, raw: unknown, style: KeyStyle, schema?: z.ZodType): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of error.issues) {
    if (issue.code === "invalid_union" && issue.errors.length > 0) {
      // The first branch is the plain value (see inputOf): its issues say what is allowed.
      const nested = new z.ZodError(issue.errors[0].map((i) => ({ ...i, path: [...issue.path, ...i.path] })));
      problems.push(...toProblems(nested, raw, style, schema));
      continue;
    }
    if (issue.code === "invalid_key") {
      // The key itself is wrong (a record such as app.env): show the key, and what a key must look like.
      const key = issue.path[issue.path.length - 1];
      problems.push({
        key: formatKey(issue.path, style),
        given: `the key ${JSON.stringify(String(key))}`,
        allowed: `a key that is ${issue.issues.map((i) => describeAllowed(i)).join("; ")}`,
      });
      continue;
    }
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const known = `one of the known keys here: ${(schema ? knownKeysAt(schema, issue.path) : []).join(", ") || "(see docs/config-reference.md)"}`;
        const path = [...issue.path, key];
        problems.push({
          key: formatKey(path, style),
          given: describeValue(valueAt(raw, path), path),
          allowed: looksLikeCredential(key) ? `a reference to a Secret (a ...SecretRef key), never the credential itself; ${known}` : known,
        });
      }
      continue;
    }
    problems.push(problemAt(issue.path, valueAt(raw, issue.path), describeAllowed(issue), style));
  }
  return problems;
}

/**
 * The one place a problem gets its printed form: the key as the user writes it and the value given, which is
 * never shown under a credential or Secret-reference key (see describeValue).
 */
export function problemAt(path: readonly PropertyKey[], given: unknown, allowed: string, style: KeyStyle): ConfigProblem {
  return { key: formatKey(path, style), given: describeValue(given, path), allowed };
}

/** The keys an object schema defines at a path, to name them when a user misspells one. */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current: z.core.$ZodType | undefined = schema;
  const unwrap = (s: z.core.$ZodType): z.core.$ZodType => {
    const def = s._zod.def as unknown as Record<string, z.core.$ZodType | undefined> & { type: string };
    if (["optional", "default", "nullable", "prefault", "readonly", "catch"].includes(def.type) && def.innerType) return unwrap(def.innerType);
    if (def.type === "pipe" && def.in) return unwrap(def.in);
    return s;
  };
  for (const part of [...path, null]) {
    if (!current) return [];
    current = unwrap(current);
    const def = current._zod.def as unknown as { type: string; shape?: Record<string, z.core.$ZodType>; element?: z.core.$ZodType };
    if (part === null) return def.type === "object" && def.shape ? Object.keys(def.shape) : [];
    if (def.type === "object" && def.shape) current = def.shape[String(part)];
    else if (def.type === "array") current = def.element;
    else return [];
  }
  return [];
}

/** Parse or throw one ConfigError that lists every problem. Never returns a partial config. */
export function parseConfig<S extends z.ZodType>(schema: S, raw: unknown, style: KeyStyle): z.output<S> {
  // Numbers and booleans where a string is wanted are that string (Pulumi and YAML type them); errors show what was written.
  const result = schema.safeParse(stringsWhereWanted(schema, raw));
  if (!result.success) throw new ConfigError(toProblems(result.error, raw, style, schema));
  return result.data;
}
