import { PlatformSettings } from "../config/schema/platform";
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
