import * as fs from "fs";
import * as path from "path";
import { typedScalar } from "../components/config/scalar";

export const repoRoot = path.resolve(__dirname, "..");
export const secretPlaceholder = "[secret: placeholder]";

/** Stacks are the Pulumi.<stack>.yaml files next to Pulumi.yaml. */
export function stackNames(dir = repoRoot): string[] {
  return fs
    .readdirSync(dir)
    .map((f) => /^Pulumi\.([A-Za-z0-9_-][A-Za-z0-9_.-]*)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

/** A stack name that names a Pulumi.<stack>.yaml here and nothing else: no path, no `..`. */
export function checkStackName(stack: string, dir = repoRoot): string {
  const known = stackNames(dir);
  if (/[\\/]|\.\.|^\.|\0/.test(stack) || !known.includes(stack)) {
    throw new Error(`Unknown stack ${JSON.stringify(stack)}: give one of ${known.join(", ")} (a Pulumi.<stack>.yaml next to Pulumi.yaml)`);
  }
  return stack;
}

/** A stack file's `config:` map, `secure:` values replaced by a visible placeholder (no passphrase here). */
export function readStackFile(stack: string, dir = repoRoot): Record<string, unknown> {
  const name = `Pulumi.${checkStackName(stack, dir)}.yaml`;
  let doc: unknown;
  try {
    // yaml loads here, where a stack file is read, not with everything that imports the config helpers.
    const YAML = require("yaml") as typeof import("yaml");
    doc = YAML.parse(fs.readFileSync(path.join(dir, name), "utf8"));
  } catch (error) {
    // YAML errors come with a multi-line code frame: the first line says what and where.
    throw new Error(`${name}: ${String(error instanceof Error ? error.message : error).split("\n")[0]}`);
  }
  const config = doc === null || doc === undefined ? undefined : isMapping(doc) ? doc.config : doc;
  if (config === undefined || config === null) return {};
  if (!isMapping(config)) throw new Error(`${name}: config must be a mapping of keys to values, got ${Array.isArray(config) ? "a list" : typeof config}`);
  const loop = aliasLoop(config, ["config"]);
  if (loop) throw new Error(`${name}: the YAML alias at ${loop} refers to a node that contains it (an endless value)`);
  return replaceSecrets(config) as Record<string, unknown>;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Where a value contains itself (a YAML alias inside its own anchor), as a path; undefined when it is a tree. */
function aliasLoop(value: unknown, at: string[], ancestors: object[] = []): string | undefined {
  if (value === null || typeof value !== "object") return undefined;
  if (ancestors.includes(value)) return at.join(".");
  const inside = [...ancestors, value];
  for (const [key, child] of Object.entries(value)) {
    const found = aliasLoop(child, [...at, Array.isArray(value) ? `[${key}]` : key], inside);
    if (found) return found.replace(/\.\[/g, "[");
  }
  return undefined;
}

function replaceSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(replaceSecrets);
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1 && entries[0][0] === "secure") return secretPlaceholder;
    return Object.fromEntries(entries.map(([k, v]) => [k, replaceSecrets(v)]));
  }
  return value;
}

/** Path segments that would reach an object's prototype instead of a config key. */
const forbiddenSegments = new Set(["__proto__", "constructor", "prototype"]);
/** Largest list index a --config path may set: a config list is short, and a huge index builds a huge sparse list. */
export const maxConfigIndex = 999;

/**
 * Path segments as `pulumi config set --path` reads them: `ingress.hosts[0]` → ["ingress", "hosts", 0], and a key
 * holding dots or slashes quoted, `ingress.values.service.annotations["service.beta.kubernetes.io/x"]`.
 */
export function parsePath(keyPath: string): (string | number)[] {
  const bad = () => new Error(`Bad config path "${keyPath}": write it as pulumi config set --path does, e.g. ingress.hosts[0] or a["b.c"]`);
  const token = /([^.[\]"]+)|\[(\d+)\]|\["([^"]*)"\]|(\.)/y;
  const parts: (string | number)[] = [];
  let afterDot = false;
  for (let pos = 0; pos < keyPath.length; pos = token.lastIndex) {
    token.lastIndex = pos;
    const m = token.exec(keyPath);
    if (!m) throw bad();
    if (m[4] !== undefined) {
      if (parts.length === 0 || afterDot) throw bad();
      afterDot = true;
      continue;
    }
    // A bare name starts the path or follows a dot; a bracket follows a name or another bracket.
    if (m[1] !== undefined ? parts.length > 0 && !afterDot : afterDot) throw bad();
    const part = m[1] ?? (m[2] !== undefined ? Number(m[2]) : m[3]);
    if (typeof part === "string" && forbiddenSegments.has(part)) {
      throw new Error(`Bad config path "${keyPath}": "${part}" is not a config key (it names an object's prototype)`);
    }
    if (typeof part === "number" && part > maxConfigIndex) {
      throw new Error(`Bad config path "${keyPath}": list index ${m[2]} is above ${maxConfigIndex}`);
    }
    parts.push(part);
    afterDot = false;
  }
  if (parts.length === 0 || afterDot) throw bad();
  return parts;
}

/** Apply `key.path=value` overrides (project namespace optional) to a stack's config map. */
export function applyOverrides(config: Record<string, unknown>, overrides: string[], project: string): Record<string, unknown> {
  const out = structuredClone(config);
  for (const override of overrides) {
    const eq = override.indexOf("=");
    if (eq <= 0) throw new Error(`Bad --config "${override}": expected key.path=value`);
    const rawKey = override.slice(0, eq);
    const value = typedScalar(override.slice(eq + 1));
    const keyPath = rawKey.startsWith(`${project}:`) ? rawKey.slice(project.length + 1) : rawKey;
    const [top, ...rest] = parsePath(keyPath);
    if (typeof top === "number") throw new Error(`Bad config path "${keyPath}": it starts with a key, not a list index`);
    const fullKey = `${project}:${top}`;
    if (rest.length === 0) {
      setOwn(out, fullKey, value);
      continue;
    }
    let node = out as Record<string | number, unknown>;
    let key: string | number = fullKey;
    for (const [i, part] of rest.entries()) {
      const existing = Object.hasOwn(node, key) ? node[key] : undefined;
      const wanted = typeof part === "number" ? "list" : "object";
      if (existing === undefined || existing === null) setOwn(node, key, wanted === "list" ? [] : {});
      else if (existing === null || typeof existing !== "object" || Array.isArray(existing) !== (wanted === "list")) {
        const at = formatPath([top, ...rest.slice(0, i)]);
        throw new Error(`Bad --config "${rawKey}": ${at} is ${describeKind(existing)} in the stack, not ${wanted === "list" ? "a list" : "an object"}`);
      }
      node = node[key] as Record<string | number, unknown>;
      key = part;
    }
    setOwn(node, key, value);
  }
  return out;
}

/** An own data property, whatever the key: never a setter such as __proto__. */
function setOwn(target: Record<string | number, unknown>, key: string | number, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

function describeKind(value: unknown): string {
  return Array.isArray(value) ? "a list" : typeof value === "object" ? "an object" : `a ${typeof value}`;
}

function formatPath(parts: (string | number)[]): string {
  return parts.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}

/** The string form Pulumi hands a program: objects and lists as JSON, scalars as text. */
export function toRuntimeConfig(config: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
  );
}
