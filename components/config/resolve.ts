import { ConfigError } from "./configError";
import { Environment, defaultEnvironment, environments } from "./environment";
import { deepMerge, isPlainObject } from "./merge";
import { KeyStyle, parseConfig, problemAt } from "./parse";
import { platformProblems, platformWarningsOf } from "./rules";
import { withDerivedSmokeTestAddress } from "./rules/smokeTest";
import { PlatformSettings, environmentDefaults, platformSchema } from "./schema/platform";

export interface ResolvedPlatform {
  settings: PlatformSettings;
  warnings: string[];
}

function environmentOf(raw: Record<string, unknown>): Environment {
  const env = raw.environment;
  return (environments as readonly unknown[]).includes(env) ? (env as Environment) : defaultEnvironment;
}

/** What the user wrote, with the defaults of its environment filled in underneath, section by section of `table`. */
export function withEnvironmentDefaults(raw: unknown, table: Record<string, Record<Environment, unknown>> = environmentDefaults): unknown {
  if (!isPlainObject(raw)) return raw;
  const env = environmentOf(raw);
  const merged: Record<string, unknown> = { ...raw };
  for (const [section, defaults] of Object.entries(table)) {
    const given = raw[section];
    if (given === undefined || isPlainObject(given)) merged[section] = deepMerge(defaults[env], given ?? {});
  }
  return merged;
}

/**
 * The one way a platform config becomes settings: environment defaults, the schema, then the rules across
 * sections. Throws one ConfigError listing every problem; nothing is created before this returns.
 */
export function resolvePlatformConfig(raw: unknown, style: KeyStyle): ResolvedPlatform {
  const merged = withEnvironmentDefaults(raw);
  const settings = parseConfig(platformSchema, merged, style);
  const problems = platformProblems(settings);
  if (problems.length > 0) {
    throw new ConfigError(problems.map((p) => problemAt(p.path, p.given, p.allowed, style)));
  }
  // Warnings read what the user wrote; derived values (the smoke test's address) are filled in afterwards.
  return { settings: withDerivedSmokeTestAddress(settings), warnings: platformWarningsOf(settings) };
}
