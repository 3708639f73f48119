import { WebSocketApp } from "../components/app/webSocketApp";
import { resolvePlatformConfig } from "../components/config/resolve";
import { stackConfigKeys } from "../components/config/parse";
import { WebSocketPlatform } from "../components/platform";
import { readStackConfig } from "../stacks/config";

/** A program serving `apps` WebSocket apps from the stack's config, run under the mock runner by the scale bench. */
export type ScaleProgram = (apps: number) => () => Promise<Record<string, unknown>>;

/**
 * One platform serving `apps` WebSocket apps: the stack's platform (namespace, first app and every shared part),
 * plus apps-1 more WebSocketApps in its namespace, each with its own name.
 */
export const platformWithApps: ScaleProgram = (apps) => async () => {
  const { settings } = resolvePlatformConfig(readStackConfig(), stackConfigKeys);
  const platform = new WebSocketPlatform("websocket", settings, { keyStyle: stackConfigKeys });
  for (let i = 2; i <= apps; i++) {
    const name = `${settings.app.name}-${i}`;
    new WebSocketApp(`websocket-${name}`, { ...settings.app, name, namespace: platform.namespace }, { parent: platform });
  }
  return { namespace: platform.namespace };
};

/**
 * The shapes of a many-app cluster the scale bench can measure, by name (`npm run bench -- --scale NAME`). A new
 * shape (say one cluster part and N service parts) is one more entry here; the bench and its report stay as they are.
 */
export const scalePrograms: Record<string, ScaleProgram> = {
  "platform+apps": platformWithApps,
};

export const defaultScaleProgram = "platform+apps";

/** Kept for callers that name the one shape directly. */
export const scaleProgram = platformWithApps;
