import { AppSettings } from "../config/schema/app";
import { runtimeEnvironmentNames } from "./runtimeEnvironmentNames";
import { drainTimeline } from "./timings";

export { runtimeEnvironmentNames };

/**
 * The one mapping from app settings to the container's environment: the reference echo-server reads exactly
 * these names, so its timings and the pod's never disagree.
 */
export function runtimeEnvironment(app: AppSettings): Record<string, string> {
  const n = runtimeEnvironmentNames;
  const timeline = drainTimeline(app);
  return {
    [n.port]: String(app.port),
    [n.metricsPort]: String(app.metricsPort),
    [n.livenessPath]: app.health.livenessPath,
    [n.readinessPath]: app.health.readinessPath,
    [n.maxConnections]: String(app.maxConnectionsPerPod),
    [n.heartbeatSeconds]: String(app.heartbeatSeconds),
    [n.drainWindowSeconds]: String(timeline.drainWindowSeconds),
    // SIGTERM comes after the preStop wait, so the app has the rest of the grace period before SIGKILL.
    [n.shutdownDeadlineSeconds]: String(timeline.terminationGracePeriodSeconds - timeline.preStopSeconds),
    [n.connectionLifetimeSeconds]: String(app.connectionLifetimeSeconds),
  };
}
