/**
 * Environment variable names of the platform's runtime contract. Dependency-free on purpose: the reference
 * echo-server imports this file (its Docker build has no Pulumi or zod).
 */
export const runtimeEnvironmentNames = {
  port: "PORT",
  metricsPort: "METRICS_PORT",
  livenessPath: "LIVENESS_PATH",
  readinessPath: "READINESS_PATH",
  maxConnections: "MAX_CONNECTIONS",
  heartbeatSeconds: "HEARTBEAT_INTERVAL_SECONDS",
  drainWindowSeconds: "DRAIN_WINDOW_SECONDS",
  shutdownDeadlineSeconds: "SHUTDOWN_DEADLINE_SECONDS",
  connectionLifetimeSeconds: "CONNECTION_LIFETIME_SECONDS",
  allowedOrigins: "ALLOWED_ORIGINS",
  allowMissingOrigin: "ALLOW_MISSING_ORIGIN",
  listenBacklog: "LISTEN_BACKLOG",
  maxBufferedBytes: "MAX_BUFFERED_BYTES",
} as const;
