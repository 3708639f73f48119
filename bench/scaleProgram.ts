import { WebSocketApp } from "../components/app/webSocketApp";
import { resolvePlatformConfig } from "../components/config/resolve";
import { stackConfigKeys } from "../components/config/parse";
import { clusterSettingsOf, serviceArgsOf } from "../components/cluster/fromPlatform";
import { WebSocketCluster } from "../components/cluster/webSocketCluster";
import { WebSocketPlatform } from "../components/platform";
import { WebSocketService } from "../components/service/webSocketService";
import { readStackConfig } from "../stacks/config";
import { knownHosts } from "../components/config/knownHosts";

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
 * One cluster part and `apps` whole app parts on it (route, certificate, NetworkPolicies, monitoring, autoscaler,
 * each in its own namespace): the stack's config for every app, apart from its name, namespace and host.
 */
export const clusterWithServices: ScaleProgram = (apps) => async () => {
  const { settings } = resolvePlatformConfig(readStackConfig(), stackConfigKeys);
  const cluster = new WebSocketCluster("websocket", clusterSettingsOf({ ...settings, autoscaling: { ...settings.autoscaling, enabled: true } }));
  const one = serviceArgsOf(settings, cluster.reference);
  for (let i = 1; i <= apps; i++) {
    const name = `${settings.app.name}-${i}`;
    new WebSocketService(
      name,
      {
        ...one,
        namespace: name,
        app: { ...one.app, name },
        // Each app its own host, and the origins and smoke address that follow from it (the stack's are for its one app).
        ingress: { ...one.ingress, hosts: [`${name}.${knownHosts(settings.ingress.hosts)![0]}`], allowedOrigins: undefined },
        autoscaling: { ...one.autoscaling, enabled: true },
        smokeTest: { ...one.smokeTest, address: undefined },
      },
      { clusterPart: cluster },
    );
  }
  return { apps };
};

/**
 * The shapes of a many-app cluster the scale bench can measure, by name (scaleReport's `program`; `npm run bench`
 * measures the default). A new shape is one more entry here; the bench and its report stay as they are.
 */
export const scalePrograms: Record<string, ScaleProgram> = {
  "cluster+services": clusterWithServices,
  "platform+apps": platformWithApps,
};

export const defaultScaleProgram = "cluster+services";
