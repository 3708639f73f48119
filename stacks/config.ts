import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../components/config/configError";
import { environments } from "../components/config/environment";
import { knownKeysAt, stackConfigKeys } from "../components/config/parse";
import { typedScalar } from "../components/config/scalar";
import { platformSchema } from "../components/config/schema/platform";

export const projectName = "websocket-platform";

/**
 * Every `websocket-platform:*` key of the stack as one plain object, objects parsed from their JSON form.
 * Unknown keys are kept so the schema can name them.
 */
export function readStackConfig(): Record<string, unknown> {
  const all = pulumi.runtime.allConfig();
  const raw: Record<string, unknown> = {};
  const problems = [];
  for (const [fullKey, text] of Object.entries(all)) {
    if (!fullKey.startsWith(`${projectName}:`)) continue;
    const key = fullKey.slice(projectName.length + 1);
    try {
      const value = text.startsWith("{") || text.startsWith("[") ? JSON.parse(text) : typedScalar(text);
      raw[key] = isConfigSecret(fullKey) ? withSecretData(key, value) : value;
    } catch {
      // The text may hold a credential: name the key, never echo the value.
      problems.push({ key: fullKey, given: "text that is not valid JSON (not shown)", allowed: "valid YAML/JSON for an object or list" });
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  if (raw.environment === undefined && (environments as readonly string[]).includes(pulumi.getStack())) {
    raw.environment = pulumi.getStack();
  }
  return raw;
}

/** Whether `pulumi config set --secret` (a `secure:` value) set this key; the SDK keeps the list but does not type it. */
function isConfigSecret(fullKey: string): boolean {
  const config = pulumi.runtime as unknown as { isConfigSecret?: (k: string) => boolean };
  return config.isConfigSecret?.(fullKey) ?? false;
}

/**
 * A secret config object keeps its data secret all the way into resource inputs: the fields that take Outputs
 * (env values, image, ACME email, smoke-test CA) become secret Outputs. Choices that shape the stack cannot be secret.
 */
function withSecretData(key: string, value: unknown): unknown {
  const secretIfText = (v: unknown) => (typeof v === "string" ? pulumi.secret(v) : v);
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  const section = { ...(value as Record<string, unknown>) };
  if (key === "app") {
    if (section.env && typeof section.env === "object") section.env = Object.fromEntries(Object.entries(section.env).map(([k, v]) => [k, secretIfText(v)]));
    section.image = secretIfText(section.image);
  }
  if (key === "tls") section.email = secretIfText(section.email);
  if (key === "smokeTest") section.caPem = secretIfText(section.caPem);
  return section;
}

/** Top-level keys the schema knows (Pulumi.yaml declares the scalar ones; a test keeps them in step). */
export const topLevelKeys = knownKeysAt(platformSchema, []);
export { stackConfigKeys };
