import { AppSettings } from "../config/schema/app";
import { anyOrigin, normalizeOrigin } from "./origin";
import { runtimeEnvironmentNames } from "./runtimeEnvironmentNames";
import { drainTimeline } from "./timings";

export { runtimeEnvironmentNames };

/** Which browser pages may open WebSockets to the app (cross-site WebSocket hijacking defence). */
export interface OriginPolicy {
  /** Exact origins (`scheme://host[:port]`), or `"*"` for any. */
  allowedOrigins: string[] | "*";
  /** Accept upgrades without an `Origin` header (native clients send none; browsers always do). */
  allowMissingOrigin: boolean;
}

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
    [n.listenBacklog]: String(app.listenBacklog),
    [n.maxBufferedBytes]: String(app.maxBufferedBytesPerConnection),
  };
}

/**
 * `ALLOWED_ORIGINS` and `ALLOW_MISSING_ORIGIN` for a policy, origins normalised as the server compares them;
 * throws a RangeError naming every value that is not an origin, or a policy that lets no client in.
 */
export function originEnvironment(policy: OriginPolicy): Record<string, string> {
  const n = runtimeEnvironmentNames;
  let allowed: string;
  if (policy.allowedOrigins === anyOrigin) {
    allowed = anyOrigin;
  } else {
    const bad = policy.allowedOrigins.filter((origin) => normalizeOrigin(origin) === undefined);
    if (bad.length > 0) {
      throw new RangeError(
        `allowed origins: ${bad.map((o) => JSON.stringify(o)).join(", ")} ${bad.length === 1 ? "is not an origin" : "are not origins"}: scheme://host[:port] without path or trailing slash, or "*" alone for any`,
      );
    }
    if (policy.allowedOrigins.length === 0 && !policy.allowMissingOrigin) {
      throw new RangeError("allowed origins: an empty list without allowMissingOrigin lets no client connect");
    }
    allowed = [...new Set(policy.allowedOrigins.map((origin) => normalizeOrigin(origin)!))].join(",");
  }
  return { [n.allowedOrigins]: allowed, [n.allowMissingOrigin]: String(policy.allowMissingOrigin) };
}
