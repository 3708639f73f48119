import * as pulumi from "@pulumi/pulumi";
import { ConfigError, describeValue } from "../components/config/configError";
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
      raw[key] = text.startsWith("{") || text.startsWith("[") ? JSON.parse(text) : typedScalar(text);
    } catch {
      problems.push({ key: fullKey, given: describeValue(text), allowed: "valid YAML/JSON for an object or list" });
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  if (raw.environment === undefined && (environments as readonly string[]).includes(pulumi.getStack())) {
    raw.environment = pulumi.getStack();
  }
  return raw;
}

/** Top-level keys the schema knows (Pulumi.yaml declares the scalar ones; a test keeps them in step). */
export const topLevelKeys = knownKeysAt(platformSchema, []);
export { stackConfigKeys };
