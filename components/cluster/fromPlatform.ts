import { PlatformSettings } from "../config/schema/platform";
import { ServiceArgs } from "../service/serviceSettings";
import { ClusterReference } from "./clusterReference";
import { ClusterSettings } from "./clusterSettings";

/** The cluster half of a one-app platform's settings: the controller's timeouts and drain follow the one app. */
export function clusterSettingsOf(p: PlatformSettings): ClusterSettings {
  const { hosts: _hosts, rateLimit: _rateLimit, maxConnectionsPerClient: _limit, cors: _cors, allowedOrigins: _origins, allowMissingOrigin: _missing, ...ingress } = p.ingress;
  const { engine, install, installNamespace, prometheusUrl, chartValues } = p.autoscaling;
  return {
    environment: p.environment,
    ingress: {
      ...ingress,
      connectionLifetimeSeconds: p.app.connectionLifetimeSeconds,
      preStopSeconds: p.app.drain.preStopSeconds,
    },
    tls: { enabled: p.tls.enabled, hsts: p.tls.hsts, certManager: p.tls.certManager },
    mesh: p.mesh,
    autoscaling: { enabled: p.autoscaling.enabled, engine, install, installNamespace, prometheusUrl, chartValues },
    networkPolicy: { enabled: p.networkPolicy.enabled },
    monitoring: { enabled: p.monitoring.enabled, prometheusLabels: p.monitoring.prometheusLabels },
  };
}

/** The app half of a one-app platform's settings, on the cluster part `cluster` names: what WebSocketService takes. */
export function serviceArgsOf(p: PlatformSettings, cluster: ClusterReference): ServiceArgs {
  const { ingress, tls, autoscaling, ...rest } = p;
  const { hosts, connectTimeoutSeconds, sessionAffinity, rateLimit, maxConnectionsPerClient, cors, allowedOrigins, allowMissingOrigin } = ingress;
  const { certManager: _certManager, ...appTls } = tls;
  const { engine: _engine, install: _install, installNamespace: _ns, chartValues: _values, ...appAutoscaling } = autoscaling;
  return {
    ...rest,
    cluster,
    ingress: { hosts, connectTimeoutSeconds, sessionAffinity, rateLimit, maxConnectionsPerClient, cors, allowedOrigins, allowMissingOrigin },
    tls: appTls,
    autoscaling: appAutoscaling,
  };
}
