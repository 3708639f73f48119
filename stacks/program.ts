import { resolvePlatformConfig } from "../components/config/resolve";
import { stackConfigKeys } from "../components/config/parse";
import { WebSocketPlatform } from "../components/platform";
import { readStackConfig } from "./config";

/** The stack program: one platform from this stack's config; its result becomes the stack outputs. */
export async function main() {
  const { settings } = resolvePlatformConfig(readStackConfig(), stackConfigKeys);
  const platform = new WebSocketPlatform("websocket", settings, { keyStyle: stackConfigKeys });
  return {
    environment: settings.environment,
    namespace: platform.namespace,
    serviceName: platform.serviceName,
    urls: platform.urls,
    troubleshooting: platform.troubleshooting,
  };
}


