import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { environments } from "../components/config/environment";
import { environmentDefaults, platformSchema } from "../components/config/schema/platform";
import { repoRoot } from "./stackConfig";

interface JsonSchema {
  type?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  additionalProperties?: JsonSchema | boolean;
  minimum?: number;
  maximum?: number;
  pattern?: string;
}

export const configReferenceFile = path.join(repoRoot, "docs", "config-reference.md");

function typeOf(s: JsonSchema): string {
  if (s.anyOf) return typeOf(s.anyOf[0]);
  if (s.enum) return s.enum.map((v) => `\`${String(v)}\``).join(" \\| ");
  if (s.type === "array") return `list of ${s.items ? typeOf(s.items) : "values"}`;
  if (s.type === "object" && typeof s.additionalProperties === "object") return `map of ${typeOf(s.additionalProperties)}`;
  const range = s.minimum !== undefined || s.maximum !== undefined ? ` (${s.minimum ?? "…"}–${s.maximum ?? "…"})` : "";
  return `${s.type ?? "any"}${range}`;
}

function valueAt(root: unknown, keys: string[]): unknown {
  return keys.reduce<unknown>((node, k) => (node && typeof node === "object" ? (node as Record<string, unknown>)[k] : undefined), root);
}

function environmentColumn(keys: string[]): string {
  const [section, ...rest] = keys;
  const table = (environmentDefaults as Record<string, Record<string, unknown>>)[section];
  if (!table || rest.length === 0) return "";
  const values = environments.map((env) => valueAt(table[env], rest));
  if (values.every((v) => v === undefined)) return "";
  return environments.map((env, i) => `${env}: ${values[i] === undefined ? "default" : `\`${JSON.stringify(values[i])}\``}`).join("<br>");
}

function rows(schema: JsonSchema, keys: string[], required: boolean): string[] {
  const leaf = schema.anyOf ? schema.anyOf[0] : schema;
  if (leaf.type === "object" && leaf.properties) {
    return Object.entries(leaf.properties).flatMap(([k, child]) => rows(child, [...keys, k], (leaf.required ?? []).includes(k) && required));
  }
  const key = `\`${keys.join(".")}\``;
  const def = schema.default === undefined ? (required ? "**required**" : "") : `\`${JSON.stringify(schema.default)}\``;
  const description = (schema.description ?? leaf.description ?? "").replace(/\|/g, "\\|");
  return [`| ${key} | ${typeOf(schema)} | ${def} | ${environmentColumn(keys)} | ${description} |`];
}

/** docs/config-reference.md, generated from the one schema; a test fails when the committed file is stale. */
export function configReference(): string {
  const json = z.toJSONSchema(platformSchema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  const header = [
    "# Configuration reference",
    "",
    "Generated from `components/config/schema/` by `npm run docs:config`; do not edit by hand.",
    "Stack config keys are `websocket-platform:<key>` (set nested keys with `pulumi config set --path`,",
    "e.g. `pulumi config set --path app.replicas 3`). `WebSocketPlatform` takes the same keys as its args.",
    "The environment column shows defaults that differ per `environment`.",
    "",
    "| Key | Type | Default | Per environment | Description |",
    "| --- | --- | --- | --- | --- |",
  ];
  return [...header, ...rows(json, [], true), ""].join("\n");
}

if (require.main === module) {
  fs.mkdirSync(path.dirname(configReferenceFile), { recursive: true });
  fs.writeFileSync(configReferenceFile, configReference());
  console.log(`Wrote ${path.relative(process.cwd(), configReferenceFile)}`);
}
