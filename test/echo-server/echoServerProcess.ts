import { ChildProcess, spawn } from "node:child_process";
import * as http from "node:http";
import * as path from "node:path";
import WebSocket from "ws";
import { appSchema } from "../../components/config/schema/app";
import { OriginPolicy, originEnvironment, runtimeEnvironment } from "../../components/app/runtimeEnvironment";
import { drainTimeline } from "../../components/app/timings";
import { typescriptLoader } from "../support/typescriptLoader";

const repoRoot = path.resolve(__dirname, "../..");
const entry = path.join(repoRoot, "examples/echo-server/src/main.ts");

export interface EchoServerProcess {
  child: ChildProcess;
  port: number;
  metricsPort: number;
  /** Resolves when the process has exited, with the time (performance.now()) the parent saw it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  /** Seconds from SIGTERM to SIGKILL the platform would give this pod (terminationGracePeriodSeconds − preStop). */
  shutdownDeadlineSeconds: number;
  output: string[];
  stop(): Promise<void>;
}

/** The page origin the test servers allow; `ws` clients send no Origin unless asked, and the default lets them in. */
export const testOrigin = "https://app.example";
const testOriginPolicy: OriginPolicy = { allowedOrigins: [testOrigin], allowMissingOrigin: true };

/** The app settings a stack would produce (schema defaults plus `app`), mapped to env by the platform's own functions. */
export function platformEnvironment(app: Record<string, unknown>, origins: OriginPolicy = testOriginPolicy) {
  const settings = appSchema.parse({ image: "registry.example/echo-server:1.0.0", ...app });
  return { settings, env: { ...runtimeEnvironment(settings), ...originEnvironment(origins) }, timeline: drainTimeline(settings) };
}

export interface StartOptions {
  origins?: OriginPolicy;
  /** Variables set over the platform's mapping: values the app schema does not offer (scaled time, small caps). */
  env?: Record<string, string>;
  /** A rendered container's env, used instead of the mapping and of this process's env (only ports and bind address differ). */
  containerEnv?: Record<string, string>;
  startTimeoutMs?: number;
}

/** Starts examples/echo-server on loopback with the platform's environment for `app`; bounded by `startTimeoutMs`. */
export async function startEchoServer(app: Record<string, unknown>, options: StartOptions = {}): Promise<EchoServerProcess> {
  const startTimeoutMs = options.startTimeoutMs ?? 20_000;
  const { env, timeline } = platformEnvironment(app, options.origins);
  const child = spawn(process.execPath, [...typescriptLoader, entry], {
    cwd: repoRoot,
    env: {
      ...(options.containerEnv ?? { ...process.env, ...env, ...options.env }),
      // Loopback and free ports: the only departures from the pod's environment.
      PORT: "0",
      METRICS_PORT: "0",
      HOST: "127.0.0.1",
      TS_NODE_PROJECT: path.join(repoRoot, "examples/echo-server/tsconfig.json"),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal, at: performance.now() })),
  );
  const ports = await new Promise<{ port: number; metricsPort: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`echo-server did not start within ${startTimeoutMs} ms:\n${output.join("")}`)), startTimeoutMs);
    let buffered = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      output.push(chunk.toString());
      buffered += chunk.toString();
      for (const line of buffered.split("\n").slice(0, -1)) {
        const event = JSON.parse(line) as { event: string; port?: number; metricsPort?: number };
        if (event.event === "listening") {
          clearTimeout(timer);
          resolve({ port: event.port!, metricsPort: event.metricsPort! });
        }
      }
      buffered = buffered.slice(buffered.lastIndexOf("\n") + 1);
    });
    child.stderr!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`echo-server exited with ${code} before listening:\n${output.join("")}`));
    });
  });
  return {
    child,
    ...ports,
    exited,
    output,
    shutdownDeadlineSeconds: timeline.terminationGracePeriodSeconds - timeline.preStopSeconds,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}

/** GET on loopback with a short timeout; resolves with the status code. */
export function httpStatus(port: number, path: string, timeoutMs = 2000): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port, path, agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("timeout", () => req.destroy(new Error(`GET ${path} timed out`)));
    req.on("error", reject);
  });
}

/** The server's Prometheus text, from its metrics port. */
export function scrapeMetrics(server: { metricsPort: number }): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port: server.metricsPort, path: "/metrics", agent: false, timeout: 2000 }, (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => (body += chunk.toString()));
        res.on("end", () => resolve(body));
      })
      .on("error", reject);
  });
}

/** The handshake's HTTP status: 101 when the socket opened (then closed again), else the refusal's status. */
export function upgradeStatus(port: number, options: { origin?: string; protocolVersion?: number } = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/`, { handshakeTimeout: 5000, ...options });
    socket.once("open", () => {
      socket.close(1000);
      resolve(101);
    });
    socket.once("unexpected-response", (_req, res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    socket.once("error", reject);
  });
}
