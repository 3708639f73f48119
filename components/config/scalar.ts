import type { z } from "zod";

/**
 * Config text as Pulumi types it: `true`, `false` and numbers become typed values, everything else stays text.
 * Only a number's canonical text is converted ("8080", not "007" or "1.10"), so `String(typedScalar(t)) === t`
 * and a key that wants a string gets exactly what was written back (see stringsWhereWanted).
 */
export function typedScalar(text: string): unknown {
  if (text === "true") return true;
  if (text === "false") return false;
  if (/^-?\d+(\.\d+)?$/.test(text) && String(Number(text)) === text) return Number(text);
  return text;
}

type SchemaDef = { type: string } & Record<string, unknown>;
const defOf = (schema: z.core.$ZodType): SchemaDef => schema._zod.def as unknown as SchemaDef;
const wrappers = ["optional", "default", "prefault", "nullable", "readonly", "catch", "nonoptional"];

function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  const def = defOf(schema);
  if (wrappers.includes(def.type)) return unwrap(def.innerType as z.core.$ZodType);
  if (def.type === "pipe") return unwrap(def.in as z.core.$ZodType);
  if (def.type === "lazy") return unwrap((def.getter as () => z.core.$ZodType)());
  return schema;
}

/** What kind of scalar a schema takes: a string key must never get a number or boolean's typed form. */
function scalarKinds(schema: z.core.$ZodType): Set<string> {
  const inner = unwrap(schema);
  const def = defOf(inner);
  switch (def.type) {
    case "string":
      return new Set(["string"]);
    case "number":
    case "int":
    case "bigint":
      return new Set(["number"]);
    case "boolean":
      return new Set(["boolean"]);
    case "enum":
      return new Set(Object.values(def.entries as Record<string, unknown>).map((v) => typeof v));
    case "literal":
      return new Set((def.values as unknown[]).map((v) => typeof v));
    case "union":
      return new Set((def.options as z.core.$ZodType[]).flatMap((o) => [...scalarKinds(o)]));
    case "custom":
      // inputOf's other branch: an Output or Promise, never a plain scalar.
      return new Set();
    default:
      // unknown, any: whatever was given is what is meant.
      return new Set(["any"]);
  }
}

/**
 * The value with every number or boolean turned into its text where the schema wants a string there, at any depth.
 * Pulumi hands top-level keys to a program as text, the stack reader types "123" as a number, and YAML types an
 * unquoted 8080 in an object: `namespace: "123"`, an all-digit image tag or `app.env.PORT2: 8080` are strings here.
 */
export function stringsWhereWanted(schema: z.core.$ZodType, value: unknown): unknown {
  const inner = unwrap(schema);
  const def = defOf(inner);
  if (typeof value === "number" || typeof value === "boolean") {
    const kinds = scalarKinds(inner);
    return kinds.has("string") && !kinds.has(typeof value) && !kinds.has("any") && Number.isFinite(Number(value)) ? String(value) : value;
  }
  if (Array.isArray(value)) {
    if (def.type === "array") return value.map((item) => stringsWhereWanted(def.element as z.core.$ZodType, item));
    const listBranch = unionBranch(def, "array");
    return listBranch ? stringsWhereWanted(listBranch, value) : value;
  }
  if (!isPlainRecord(value)) return value;
  const entries = Object.entries(value as Record<string, unknown>);
  if (def.type === "object") {
    const shape = def.shape as Record<string, z.core.$ZodType>;
    return Object.fromEntries(entries.map(([k, v]) => [k, Object.hasOwn(shape, k) ? stringsWhereWanted(shape[k], v) : v]));
  }
  if (def.type === "record") {
    return Object.fromEntries(entries.map(([k, v]) => [k, stringsWhereWanted(def.valueType as z.core.$ZodType, v)]));
  }
  const objectBranch = unionBranch(def, "object") ?? unionBranch(def, "record");
  return objectBranch ? stringsWhereWanted(objectBranch, value) : value;
}

/** A plain object from any realm (JSON, YAML, structuredClone): Outputs, Promises and class instances are left alone. */
function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/** The first option of a union that takes lists or objects, to walk a structured value through. */
function unionBranch(def: SchemaDef, type: string): z.core.$ZodType | undefined {
  if (def.type !== "union") return undefined;
  return (def.options as z.core.$ZodType[]).find((o) => defOf(unwrap(o)).type === type);
}
