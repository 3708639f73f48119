import { runtimeEnvironmentNames as names } from "../../../components/app/runtimeEnvironmentNames";

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
  };
  if (problems.length === 0 && settings.shutdownDeadlineSeconds <= settings.drainWindowSeconds) {
    problems.push(
      `${names.shutdownDeadlineSeconds} (${settings.shutdownDeadlineSeconds}) must be greater than ${names.drainWindowSeconds} (${settings.drainWindowSeconds})`,
    );
  }
  if (problems.length > 0) throw new SettingsError(`echo-server settings: ${problems.join("; ")}`);
  return settings;
}
