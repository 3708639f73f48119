import { isCelError, run } from "@bufbuild/cel";
import { strings } from "@bufbuild/cel/ext";

/**
 * Evaluates a CRD's `x-kubernetes-validations` (CEL) rules on an object, the way the API server does on create:
 * each rule runs with `self` bound to the value at its schema node, for every node present in the object;
 * values are typed from the schema (integer → int, number → double, int-or-string → either).
 */

export interface CelRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  reason?: string;
  fieldPath?: string;
  optionalOldSelf?: boolean;
}

export type CelOutcome =
  /** The rule holds. */
  | "pass"
  /** The rule is false, or errs as it would in the API server (e.g. a field it reads is absent). */
  | "fail"
  /** The evaluator cannot run the rule (a Kubernetes CEL library function it lacks, syntax it does not parse). */
  | "unevaluable"
  /** A transition rule (reads oldSelf): the API server only runs it on update. */
  | "update-only";

export interface CelResult {
  /** JSON path of the node the rule sits on, e.g. spec.listeners[0]. */
  path: string;
  rule: string;
  outcome: CelOutcome;
  /** The rule's message, or the evaluator's error. */
  detail?: string;
}

type Schema = Record<string, any>;

/** A JSON value as CEL sees it under a structural schema. */
export function celValue(value: unknown, schema: Schema | undefined): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((v) => celValue(v, schema?.items));
  if (typeof value === "object") {
    const properties: Record<string, Schema> = schema?.properties ?? {};
    const additional = typeof schema?.additionalProperties === "object" ? schema.additionalProperties : undefined;
    return new Map(Object.entries(value as object).map(([k, v]) => [k, celValue(v, properties[k] ?? additional)]));
  }
  if (typeof value === "number") {
    const type = schema?.type;
    if (type === "number") return value;
    // integer, int-or-string, and untyped (preserve-unknown-fields) integral numbers are ints.
    return Number.isInteger(value) && (type === "integer" || type === undefined) ? BigInt(value) : value;
  }
  return value;
}

/** Classifies an evaluator error: what the library cannot do is not the object's fault. */
function outcomeOfError(message: string): CelOutcome {
  if (/unbound function|found .* but expecting|overload|unsupported|not implemented/i.test(message)) return "unevaluable";
  return "fail";
}

function evaluateRule(rule: CelRule, self: unknown, schema: Schema): Omit<CelResult, "path"> {
  if (/\boldSelf\b/.test(rule.rule)) return { rule: rule.rule, outcome: "update-only" };
  let result: unknown;
  try {
    result = run(rule.rule, { self: celValue(self, schema) as never }, { funcs: strings });
  } catch (error) {
    return { rule: rule.rule, outcome: "unevaluable", detail: String(error) };
  }
  if (isCelError(result)) return { rule: rule.rule, outcome: outcomeOfError(result.message), detail: result.message };
  if (result === true) return { rule: rule.rule, outcome: "pass" };
  if (result === false) return { rule: rule.rule, outcome: "fail", detail: rule.message ?? rule.messageExpression ?? rule.reason };
  return { rule: rule.rule, outcome: "unevaluable", detail: `rule returned ${String(result)}, not a bool` };
}

/** The object with the schema's defaults filled in, as the API server does before it validates. */
export function withDefaults(object: unknown, schema: Schema | undefined): unknown {
  if (!schema || object === null || object === undefined) return object;
  if (Array.isArray(object)) return object.map((item) => withDefaults(item, schema.items));
  if (typeof object !== "object") return object;
  const out: Record<string, unknown> = { ...(object as Record<string, unknown>) };
  const properties: Record<string, Schema> = schema.properties ?? {};
  for (const [key, child] of Object.entries(properties)) {
    if (out[key] === undefined && child.default !== undefined) out[key] = JSON.parse(JSON.stringify(child.default));
  }
  for (const [key, value] of Object.entries(out)) {
    const child = properties[key] ?? (typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined);
    out[key] = withDefaults(value, child);
  }
  return out;
}

/** Every rule of the schema that applies to the object (defaults applied first), evaluated. */
export function evaluateValidations(object: unknown, schema: Schema): CelResult[] {
  return evaluateAt(withDefaults(object, schema), schema, "");
}

function evaluateAt(object: unknown, schema: Schema, path: string): CelResult[] {
  if (object === undefined) return [];
  const results: CelResult[] = ((schema["x-kubernetes-validations"] ?? []) as CelRule[]).map((rule) => ({
    path: path || "<root>",
    ...evaluateRule(rule, object, schema),
  }));
  if (Array.isArray(object)) {
    if (schema.items) object.forEach((item, i) => results.push(...evaluateAt(item, schema.items, `${path}[${i}]`)));
  } else if (object !== null && typeof object === "object") {
    const properties: Record<string, Schema> = schema.properties ?? {};
    for (const [key, value] of Object.entries(object as object)) {
      const child = properties[key] ?? (typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined);
      if (child) results.push(...evaluateAt(value, child, path ? `${path}.${key}` : key));
    }
  }
  for (const combinator of ["allOf", "anyOf", "oneOf"]) {
    for (const branch of (schema[combinator] ?? []) as Schema[]) {
      if (combinator === "allOf") results.push(...evaluateAt(object, branch, path));
    }
  }
  return results;
}

/** Number of rules in a schema (all nodes), to tell a source that kept them from one that dropped them. */
export function countRules(schema: unknown): number {
  if (schema === null || typeof schema !== "object") return 0;
  const own = Array.isArray((schema as Schema)["x-kubernetes-validations"]) ? (schema as Schema)["x-kubernetes-validations"].length : 0;
  return own + Object.values(schema as object).reduce((n: number, v) => n + countRules(v), 0);
}
