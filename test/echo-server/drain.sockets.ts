import * as fs from "node:fs";
import * as path from "node:path";
import { WebSocket } from "ws";
import { EchoServerProcess, httpStatus, startEchoServer } from "./echoServerProcess";

/**
 * The real drain, not a mock: 2,000 loopback clients against the reference server, SIGTERM, and what every client saw.
 * Bounded: every wait has a timeout and the server is SIGKILLed in afterAll whatever happens.
 */
const connections = 2000;
const drainWindowSeconds = 5;

interface Seen {
  code?: number;
  at?: number;
  error?: string;
}

let server: EchoServerProcess;
const clients: WebSocket[] = [];
const seen: Seen[] = [];

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

function connect(index: number): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}/`, { handshakeTimeout: 10_000 });
    seen[index] = {};
    socket.once("open", () => resolve(socket));
    socket.once("error", (error) => {
      seen[index].error = error.message;
      reject(error);
    });
    socket.once("close", (code) => {
      seen[index].code = code;
      seen[index].at = performance.now();
    });
  });
}

function echo(socket: WebSocket, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onMessage = (data: Buffer) => {
      if (data.toString() !== text) return;
      socket.off("message", onMessage);
      resolve();
    };
    socket.on("message", onMessage);
    socket.send(text, (error) => error && reject(error));
  });
}

beforeAll(async () => {
  // The test sends SIGTERM itself; the preStop wait (before SIGTERM in a pod) only shifts the clock, not the deadline after it.
  server = await startEchoServer({ drain: { preStopSeconds: 1, windowSeconds: drainWindowSeconds } });
  for (let batch = 0; batch < connections; batch += 200) {
    const opened = await withTimeout(
      Promise.all(Array.from({ length: Math.min(200, connections - batch) }, (_, i) => connect(batch + i))),
      20_000,
      `opening connections ${batch}..${batch + 199}`,
    );
    clients.push(...opened);
  }
  await withTimeout(Promise.all(clients.map((socket, i) => echo(socket, `hello ${i}`))), 20_000, "echoing one message per client");
});

afterAll(async () => {
  for (const socket of clients) socket.terminate();
  await server?.stop();
});

test("SIGTERM drains 2,000 connections with spread 1001 closes and exits within the grace period", async () => {
  expect(clients).toHaveLength(connections);
  expect(await httpStatus(server.port, "/readyz")).toBe(200);

  const sigterm = performance.now();
  server.child.kill("SIGTERM");

  // Readiness flips at once; liveness stays up while draining.
  let readinessFlipMs = Infinity;
  for (;;) {
    const status = await httpStatus(server.port, "/readyz");
    if (status === 503) {
      readinessFlipMs = performance.now() - sigterm;
      break;
    }
    if (performance.now() - sigterm > 2000) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(readinessFlipMs).toBeLessThan(1000);
  expect(await httpStatus(server.port, "/livez")).toBe(200);

  // No new upgrades while draining: the handshake gets 503.
  const refused = await new Promise<number>((resolve) => {
    const late = new WebSocket(`ws://127.0.0.1:${server.port}/`, { handshakeTimeout: 2000 });
    late.once("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
    late.once("open", () => resolve(101));
    late.once("error", () => resolve(-1));
  });
  expect(refused).toBe(503);

  const exit = await withTimeout(server.exited, (server.shutdownDeadlineSeconds + 5) * 1000, "server exit");
  const exitMs = exit.at - sigterm;
  // Close events already delivered when the parent saw the exit all came before it.
  const closes = seen.map((s) => s.code);
  const closeTimes = seen.map((s) => (s.at ?? Infinity) - sigterm).sort((a, b) => a - b);

  const windowMs = drainWindowSeconds * 1000;
  const skews = closeTimes.map((t, k) => Math.abs(t - (k * windowMs) / connections));
  const maxSkewMs = Math.max(...skews);
  const perTenth = Array.from({ length: 10 }, (_, d) => closeTimes.filter((t) => t >= (d * windowMs) / 10 && t < ((d + 1) * windowMs) / 10).length);
  const report = {
    connections,
    drainWindowSeconds,
    shutdownDeadlineSeconds: server.shutdownDeadlineSeconds,
    readinessFlipMs: Math.round(readinessFlipMs),
    firstCloseMs: Math.round(closeTimes[0]),
    lastCloseMs: Math.round(closeTimes[closeTimes.length - 1]),
    exitMs: Math.round(exitMs),
    maxCloseSkewMs: Math.round(maxSkewMs),
    closesPerTenthOfWindow: perTenth,
    exitCode: exit.code,
  };
  fs.mkdirSync(path.resolve(__dirname, "../../out"), { recursive: true });
  fs.writeFileSync(path.resolve(__dirname, "../../out/drain-report.json"), `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`drain report: ${JSON.stringify(report)}\n`);

  expect(exit.code).toBe(0);
  expect(closes.filter((code) => code !== 1001)).toEqual([]);
  expect(seen.filter((s) => s.at === undefined || s.at > exit.at)).toEqual([]);
  // Spread: every tenth of the window carries some of the closes, none more than a fifth of them.
  for (const count of perTenth) {
    expect(count).toBeGreaterThan(connections / 20);
    expect(count).toBeLessThan(connections / 5);
  }
  expect(maxSkewMs).toBeLessThan(windowMs / 10);
  expect(exitMs).toBeLessThan(server.shutdownDeadlineSeconds * 1000);
});
