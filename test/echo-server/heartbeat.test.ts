import { WebSocket, WebSocketServer } from "ws";
import { EchoServerProcess, platformEnvironment, startEchoServer } from "./echoServerProcess";
import { IdleProxy, startIdleProxy } from "./idleProxy";

/**
 * A client idle for longer than a proxy's idle timeout stays connected through it because the server pings. Time is
 * scaled, not waited out: the platform pairs a 30 s heartbeat with ingress-nginx's 60 s proxy-read-timeout; here a 1 s
 * heartbeat meets a 2 s idle proxy, the same ratio, so the run proves the same property in about 3 s instead of 64 s.
 * The control connection (same proxy, a server without pings) proves the proxy does cut.
 */
const ingressNginxReadTimeoutSeconds = 60;
const scaledHeartbeatSeconds = 1;
const { settings: platformDefaults } = platformEnvironment({});
const proxyIdleMs = (scaledHeartbeatSeconds * 1000 * ingressNginxReadTimeoutSeconds) / platformDefaults.heartbeatSeconds;

let server: EchoServerProcess;
let silent: WebSocketServer;
let toEcho: IdleProxy;
let toSilent: IdleProxy;

beforeAll(async () => {
  server = await startEchoServer({}, { env: { HEARTBEAT_INTERVAL_SECONDS: String(scaledHeartbeatSeconds) } });
  silent = await new Promise<WebSocketServer>((resolve) => {
    const wss: WebSocketServer = new WebSocketServer({ host: "127.0.0.1", port: 0 }, () => resolve(wss));
  });
  toEcho = await startIdleProxy(server.port, proxyIdleMs);
  toSilent = await startIdleProxy((silent.address() as { port: number }).port, proxyIdleMs);
});

afterAll(async () => {
  await Promise.all([toEcho?.close(), toSilent?.close()]);
  silent?.close();
  await server?.stop();
});

function open(port: number): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/`, { handshakeTimeout: 5000 });
    socket.once("open", () => resolve(socket));
    socket.once("error", reject);
  });
}

function echo(socket: WebSocket, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no echo within 5 s")), 5000);
    socket.once("message", (data) => {
      clearTimeout(timer);
      resolve(data.toString());
    });
    socket.send(text);
  });
}

test("the platform's default heartbeat pings at least twice per ingress-nginx idle timeout", () => {
  // Two pings per idle period, so one late ping cannot let the proxy cut the connection.
  expect(platformDefaults.heartbeatSeconds * 2).toBeLessThanOrEqual(ingressNginxReadTimeoutSeconds);
});

test("heartbeats keep an idle client open through an idle-timeout proxy, at the platform's ratio on scaled time", async () => {
  expect(scaledHeartbeatSeconds * 1000).toBeLessThanOrEqual(proxyIdleMs / 2);

  const client = await open(toEcho.port);
  const control = await open(toSilent.port);
  expect(await echo(client, "before idle")).toBe("before idle");
  const idleSince = performance.now();
  let pings = 0;
  client.on("ping", () => (pings += 1));
  const clientClosed = new Promise<number>((resolve) => client.once("close", resolve));

  let giveUp: NodeJS.Timeout | undefined;
  const controlCode = await Promise.race([
    new Promise<number>((resolve) => control.once("close", resolve)),
    new Promise<number>((resolve) => (giveUp = setTimeout(() => resolve(-1), proxyIdleMs + 5000))),
  ]);
  clearTimeout(giveUp);
  expect(controlCode).toBe(1006);
  expect(toSilent.cuts).toBe(1);

  // Past the proxy's timeout by one more heartbeat, the heartbeat-carrying client is still there and still echoes.
  await new Promise((resolve) => setTimeout(resolve, scaledHeartbeatSeconds * 1000));
  const idleMs = performance.now() - idleSince;
  expect(idleMs).toBeGreaterThan(proxyIdleMs);
  expect(client.readyState).toBe(WebSocket.OPEN);
  expect(toEcho.cuts).toBe(0);
  expect(pings).toBeGreaterThanOrEqual(2);
  expect(await echo(client, "after idle")).toBe("after idle");
  process.stdout.write(`heartbeat report: ${JSON.stringify({ idleMs: Math.round(idleMs), proxyIdleMs, pings, heartbeatSeconds: scaledHeartbeatSeconds })}\n`);

  client.close(1000);
  expect(await clientClosed).toBe(1000);
});
