import * as fs from "fs";
import * as path from "path";
import { typedScalar } from "../components/config/scalar";

export const repoRoot = path.resolve(__dirname, "..");
export const secretPlaceholder = "[secret: placeholder]";

/** Stacks are the Pulumi.<stack>.yaml files next to Pulumi.yaml. */
export function stackNames(): string[] {
  return fs
    .readdirSync(repoRoot)
    .map((f) => /^Pulumi\.([a-z0-9-]+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

/** A stack file's `config:` map, `secure:` values replaced by a visible placeholder (no passphrase here). */
export function readStackFile(stack: string): Record<string, unknown> {
  const file = path.join(repoRoot, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(file)) {
    throw new Error(`No stack "${stack}": ${file} does not exist (stacks: ${stackNames().join(", ")})`);
  }
  // yaml loads here, where a stack file is read, not with everything that imports the config helpers.
  const YAML = require("yaml") as typeof import("yaml");
  const doc = (YAML.parse(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
  return replaceSecrets(doc.config ?? {}) as Record<string, unknown>;
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
    parts.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : m[3]));
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
    const fullKey = `${project}:${String(top)}`;
    if (rest.length === 0) {
      out[fullKey] = value;
      continue;
    }
    let node = (out[fullKey] ??= typeof rest[0] === "number" ? [] : {}) as Record<string | number, unknown>;
    rest.forEach((part, i) => {
      if (i === rest.length - 1) node[part] = value;
      else node = (node[part] ??= typeof rest[i + 1] === "number" ? [] : {}) as Record<string | number, unknown>;
    });
  }
  return out;
}

/** The string form Pulumi hands a program: objects and lists as JSON, scalars as text. */
export function toRuntimeConfig(config: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
  );
}
