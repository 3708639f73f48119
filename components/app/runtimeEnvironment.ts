import { AppSettings } from "../config/schema/app";
import { drainTimeline } from "./timings";

/**
 * The one mapping from app settings to the container's environment: the reference echo-server reads exactly
 * these names, so its timings and the pod's never disagree.
 */
export const runtimeEnvironmentNames = {
  port: "PORT",
  metricsPort: "METRICS_PORT",
  livenessPath: "LIVENESS_PATH",
  readinessPath: "READINESS_PATH",
  maxConnections: "MAX_CONNECTIONS",
  heartbeatSeconds: "HEARTBEAT_INTERVAL_SECONDS",
  drainWindowSeconds: "DRAIN_WINDOW_SECONDS",
  connectionLifetimeSeconds: "CONNECTION_LIFETIME_SECONDS",
} as const;

export function runtimeEnvironment(app: AppSettings): Record<string, string> {
  const n = runtimeEnvironmentNames;
  return {
    [n.port]: String(app.port),
    [n.metricsPort]: String(app.metricsPort),
    [n.livenessPath]: app.health.livenessPath,
    [n.readinessPath]: app.health.readinessPath,
    [n.maxConnections]: String(app.maxConnectionsPerPod),
    [n.heartbeatSeconds]: String(app.heartbeatSeconds),
    [n.drainWindowSeconds]: String(drainTimeline(app).drainWindowSeconds),
    [n.connectionLifetimeSeconds]: String(app.connectionLifetimeSeconds),
  };
}
