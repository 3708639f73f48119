import { spawn } from "node:child_process";
import { EchoServerProcess, httpStatus, startEchoServer } from "./echoServerProcess";

/**
 * A reconnect storm (every client of a drained pod arrives at once) must not fail the probes: health is also served on
 * the metrics listener, whose accept queue the storm does not fill. The storm comes from its own process so the
 * prober's event loop is not the one being stormed. Bounded: a fixed number of connections, every wait has a timeout.
 */
const storm = 2000;
/** The readiness probe's timeoutSeconds (components/app/deploymentSpec.ts). */
const probeTimeoutMs = 2000;

let server: EchoServerProcess;

beforeAll(async () => {
  server = await startEchoServer({});
});

afterAll(async () => {
  await server?.stop();
});

/** Opens `n` upgrades at once with raw sockets; prints how many got 101 and how long the storm took, then exits. */
const stormScript = `
const net = require("node:net");
const [port, n] = process.argv.slice(1).map(Number);
const request = "GET / HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\\r\\nSec-WebSocket-Version: 13\\r\\n\\r\\n";
const sockets = [];
let answered = 0, upgraded = 0;
const started = performance.now();
const done = () => {
  if (++answered < n) return;
  process.stdout.write(JSON.stringify({ upgraded, ms: Math.round(performance.now() - started) }));
  for (const socket of sockets) socket.destroy();
  process.exit(0);
};
for (let i = 0; i < n; i++) {
  const socket = net.connect(port, "127.0.0.1", () => socket.write(request));
  sockets.push(socket);
  socket.setTimeout(20000, () => socket.destroy());
  socket.once("data", (chunk) => { if (chunk.toString("latin1").startsWith("HTTP/1.1 101")) upgraded++; done(); });
  socket.once("close", done);
}`;

/** Polls readiness every 10 ms until stopped; each sample is the status and the time to it (or -1 for no answer). */
function probe(port: number) {
  const samples: { status: number; ms: number }[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      const status = await httpStatus(port, "/readyz", 5000).catch(() => -1);
      samples.push({ status, ms: performance.now() - started });
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      const times = samples.map((s) => s.ms).sort((a, b) => a - b);
      return { samples, p50Ms: Math.round(times[Math.floor(times.length / 2)]), maxMs: Math.round(times[times.length - 1]) };
    },
  };
}

test(`readiness on the metrics listener answers within the probe timeout during a storm of ${storm} upgrades`, async () => {
  const side = probe(server.metricsPort);
  const main = probe(server.port);
  const child = spawn(process.execPath, ["-e", stormScript, String(server.port), String(storm)], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  const exit = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
  const [onSide, onMain] = await Promise.all([side.stop(), main.stop()]);
  const report = {
    storm: JSON.parse(out || "{}"),
    metricsListener: { probes: onSide.samples.length, p50Ms: onSide.p50Ms, maxMs: onSide.maxMs },
    webSocketListener: { probes: onMain.samples.length, p50Ms: onMain.p50Ms, maxMs: onMain.maxMs },
  };
  process.stdout.write(`burst report: ${JSON.stringify(report)}\n`);

  expect(exit).toBe(0);
  expect(report.storm.upgraded).toBe(storm);
  expect(onSide.samples.length).toBeGreaterThan(0);
  expect(onSide.samples.filter((s) => s.status !== 200 || s.ms >= probeTimeoutMs)).toEqual([]);
});
