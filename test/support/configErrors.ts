import { ConfigError, isConfigError } from "../../components/config/configError";
import { stackConfigKeys } from "../../components/config/parse";
import { resolvePlatformConfig } from "../../components/config/resolve";

/** The ConfigError a platform config raises with stack-config key names; fails the test if none is raised. */
export function configErrorOf(raw: unknown): ConfigError {
  try {
    resolvePlatformConfig(raw, stackConfigKeys);
  } catch (error) {
    if (isConfigError(error)) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}
