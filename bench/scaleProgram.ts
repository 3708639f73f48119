import { WebSocketApp } from "../components/app/webSocketApp";
import { resolvePlatformConfig } from "../components/config/resolve";
import { stackConfigKeys } from "../components/config/parse";
import { WebSocketPlatform } from "../components/platform";
import { readStackConfig } from "../stacks/config";

/**
 * One platform serving `apps` WebSocket apps: the stack's platform (namespace, first app and every shared part),
 * plus apps-1 more WebSocketApps in its namespace, each with its own name. Run under the mock runner.
 */
export function scaleProgram(apps: number): () => Promise<Record<string, unknown>> {
  return async () => {
    const { settings } = resolvePlatformConfig(readStackConfig(), stackConfigKeys);
    const platform = new WebSocketPlatform("websocket", settings, { keyStyle: stackConfigKeys });
    for (let i = 2; i <= apps; i++) {
      const name = `${settings.app.name}-${i}`;
      new WebSocketApp(`websocket-${name}`, { ...settings.app, name, namespace: platform.namespace }, { parent: platform });
    }
    return { namespace: platform.namespace };
  };
}
