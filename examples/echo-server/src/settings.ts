import { anyOrigin, normalizeOrigin } from "../../../components/app/origin";
import { runtimeEnvironmentNames as names } from "../../../components/app/runtimeEnvironmentNames";

/** Largest message the server accepts (ws `maxPayload`); a bigger one closes the connection with 1009. */
export const maxMessageBytes = 64 * 1024;

/** What the server needs, read from the environment the platform's WebSocketApp sets (one mapping, no defaults here). */
export interface ServerSettings {
  /** Address to bind; not a platform setting (all interfaces in a pod, loopback in tests). */
  host: string;
  port: number;
  metricsPort: number;
  livenessPath: string;
  readinessPath: string;
  maxConnections: number;
  heartbeatSeconds: number;
  drainWindowSeconds: number;
  /** Seconds from SIGTERM to SIGKILL: the drain window plus the pod's exit margin. */
  shutdownDeadlineSeconds: number;
  connectionLifetimeSeconds: number;
  /** Normalised origins a browser page may connect from, or "*" for any. */
  allowedOrigins: ReadonlySet<string> | typeof anyOrigin;
  /** Whether an upgrade without an Origin header (a native client) is accepted. */
  allowMissingOrigin: boolean;
  listenBacklog: number;
  /** Bytes queued for one connection beyond which it is closed (echo) or skipped (broadcast). */
  maxBufferedBytes: number;
}

export class SettingsError extends Error {}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, min: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === "") {
    problems.push(`${name} is not set`);
    return NaN;
  }
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) problems.push(`${name}=${JSON.stringify(raw)} is not an integer ≥ ${min}`);
  return value;
}

function path(env: Env, name: string, problems: string[]): string {
  const raw = env[name];
  if (raw === undefined || !raw.startsWith("/")) problems.push(`${name}=${JSON.stringify(raw ?? "")} is not an absolute path`);
  return raw ?? "";
}

function boolean(env: Env, name: string, problems: string[]): boolean {
  const raw = env[name];
  if (raw !== "true" && raw !== "false") problems.push(`${name}=${JSON.stringify(raw ?? "")} is not true or false`);
  return raw === "true";
}

function origins(env: Env, name: string, problems: string[]): ReadonlySet<string> | typeof anyOrigin {
  const raw = env[name];
  if (raw === undefined) {
    problems.push(`${name} is not set (comma-separated origins, or * for any)`);
    return new Set();
  }
  if (raw.trim() === anyOrigin) return anyOrigin;
  const entries = raw.split(",").map((entry) => entry.trim()).filter((entry) => entry !== "");
  const bad = entries.filter((entry) => normalizeOrigin(entry) === undefined);
  if (bad.length > 0) problems.push(`${name} has ${bad.map((b) => JSON.stringify(b)).join(", ")}, not scheme://host[:port] (or * alone)`);
  return new Set(entries.map((entry) => normalizeOrigin(entry)).filter((origin): origin is string => origin !== undefined));
}

/** Reads every setting, reporting all missing or invalid variables at once. */
export function readSettings(env: Env): ServerSettings {
  const problems: string[] = [];
  const settings: ServerSettings = {
    host: env.HOST && env.HOST !== "" ? env.HOST : "0.0.0.0",
    // Port 0 lets tests take any free port; the platform always sets a real one.
    port: integer(env, names.port, 0, problems),
    metricsPort: integer(env, names.metricsPort, 0, problems),
    livenessPath: path(env, names.livenessPath, problems),
    readinessPath: path(env, names.readinessPath, problems),
    maxConnections: integer(env, names.maxConnections, 1, problems),
    heartbeatSeconds: integer(env, names.heartbeatSeconds, 1, problems),
    drainWindowSeconds: integer(env, names.drainWindowSeconds, 1, problems),
    shutdownDeadlineSeconds: integer(env, names.shutdownDeadlineSeconds, 1, problems),
    connectionLifetimeSeconds: integer(env, names.connectionLifetimeSeconds, 1, problems),
    allowedOrigins: origins(env, names.allowedOrigins, problems),
    allowMissingOrigin: boolean(env, names.allowMissingOrigin, problems),
    listenBacklog: integer(env, names.listenBacklog, 1, problems),
    // Room for two messages of the largest size, so one echo never trips the cap on its own.
    maxBufferedBytes: integer(env, names.maxBufferedBytes, 2 * maxMessageBytes, problems),
  };
  if (problems.length === 0 && settings.shutdownDeadlineSeconds <= settings.drainWindowSeconds) {
    problems.push(
      `${names.shutdownDeadlineSeconds} (${settings.shutdownDeadlineSeconds}) must be greater than ${names.drainWindowSeconds} (${settings.drainWindowSeconds})`,
    );
  }
  if (problems.length > 0) throw new SettingsError(`echo-server settings: ${problems.join("; ")}`);
  return settings;
}
