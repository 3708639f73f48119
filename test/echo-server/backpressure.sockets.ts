import * as fs from "node:fs";
import { WebSocket } from "ws";
import { appSchema } from "../../components/config/schema/app";
import { webSocketMetrics } from "../../components/metrics/contract";
import { EchoServerProcess, scrapeMetrics, startEchoServer } from "./echoServerProcess";

/**
 * Clients that never read, against the real server on loopback (Linux: RSS from /proc): the server's memory stays
 * bounded by the send cap while a normal client keeps its echoes; a control server without the cap passes the same
 * bound. Bounded: fixed byte budgets, every wait has a timeout, the servers are SIGKILLed in afterAll.
 */
const maxBufferedBytes = appSchema.parse({ image: "registry.example/echo-server:1.0.0" }).maxBufferedBytesPerConnection;
const frameBytes = 60 * 1024;
const flooders = 4;
/** Per flooder; loopback kernel buffers absorb about 4 MiB of it, the rest would queue in the server without the cap. */
const floodBudget = 32 * 1024 * 1024;
const stalledReceivers = 8;
/**
 * Allowed RSS growth over the server's RSS when it started listening, through every flood here: the cap of each
 * client that does not read, plus 64 MiB of received frames awaiting garbage collection (V8 collects when external
 * memory grew by its 64 MiB soft limit). Measured: +36 MiB with the cap, +100 to +124 MiB without it.
 */
const rssGrowthBound = (flooders + stalledReceivers) * maxBufferedBytes + 64 * 2 ** 20;
const rssAtStart = new Map<EchoServerProcess, number>();

/** A cap no flood here reaches. */
const noCap = 2 ** 30;
const mib = (bytes: number) => +(bytes / 2 ** 20).toFixed(1);
let capped: EchoServerProcess;
let uncapped: EchoServerProcess;
/** The platform's settings as they are, close handshake timeout included. */
let stock: EchoServerProcess;

beforeAll(async () => {
  // A 30 s close handshake (half the 60 s margin past the 30 s window), so flooders that read late still see the 1013.
  const patientClose = { SHUTDOWN_DEADLINE_SECONDS: "90" };
  [capped, uncapped, stock] = await Promise.all([
    startEchoServer({}, { env: patientClose }),
    startEchoServer({}, { env: { ...patientClose, MAX_BUFFERED_BYTES: String(noCap) } }),
    startEchoServer({}),
  ]);
  for (const server of [capped, uncapped]) rssAtStart.set(server, status(server.child.pid!, "VmRSS"));
});

afterAll(async () => {
  await Promise.all([capped?.stop(), uncapped?.stop(), stock?.stop()]);
});

function status(pid: number, field: "VmRSS" | "VmHWM"): number {
  const line = fs.readFileSync(`/proc/${pid}/status`, "utf8").split("\n").find((l) => l.startsWith(`${field}:`))!;
  return Number(line.split(/\s+/)[1]) * 1024;
}

/** Starts a peak-RSS window: the kernel's high-water mark is reset to the current RSS. */
function resetPeak(pid: number): void {
  fs.writeFileSync(`/proc/${pid}/clear_refs`, "5");
}

/** RSS numbers of a flood: at the server's start, at the flood's start, the flood's peak and the growth over the start. */
function rssReport(server: EchoServerProcess, before: number, peak: number) {
  const start = rssAtStart.get(server)!;
  return { rssAtStartMiB: mib(start), rssBeforeMiB: mib(before), rssPeakMiB: mib(peak), rssGrowthMiB: mib(peak - start), rssGrowthBoundMiB: mib(rssGrowthBound) };
}

function open(server: EchoServerProcess, query = ""): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}/${query}`, { handshakeTimeout: 5000 });
    socket.once("open", () => resolve(socket));
    socket.once("error", reject);
  });
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const late = new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms} ms`)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends frames until the budget is spent or the socket is no longer open; resolves with the bytes sent. */
async function flood(socket: WebSocket, budget: number): Promise<number> {
  const frame = Buffer.alloc(frameBytes, 0x5a);
  let sent = 0;
  while (sent < budget && socket.readyState === WebSocket.OPEN) {
    const ok = await new Promise<boolean>((resolve) => socket.send(frame, (error) => resolve(!error)));
    if (!ok) break;
    sent += frameBytes;
    // Writes that complete at once call back in the same tick; yield so the test's other clients get their turn.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return sent;
}

/** A client that reads: sends a short message every 20 ms until finished, and checks each echo arrives, in order. */
function chatter(socket: WebSocket) {
  let sent = 0;
  let echoed = 0;
  let outOfOrder = 0;
  socket.on("message", (data) => {
    if (data.toString() !== `m${echoed}`) outOfOrder += 1;
    echoed += 1;
  });
  const timer = setInterval(() => socket.send(`m${sent++}`), 20);
  return {
    async finish() {
      clearInterval(timer);
      for (const until = performance.now() + 5000; echoed < sent && performance.now() < until; ) await pause(20);
      return { sent, echoed, outOfOrder };
    },
  };
}

async function activeConnections(server: EchoServerProcess): Promise<number> {
  const text = await scrapeMetrics(server);
  return Number(text.split("\n").find((l) => l.startsWith(`${webSocketMetrics.activeConnections.name} `))?.split(" ")[1]);
}

/** `flooders` clients that never read send their budget in large frames while one normal client chats. */
async function echoFlood(server: EchoServerProcess, cap: number) {
  const pid = server.child.pid!;
  const normal = await open(server);
  const sockets = await Promise.all(Array.from({ length: flooders }, () => open(server)));
  // Never read: the kernel buffers fill, then the server's queue for each of them grows up to the cap.
  for (const socket of sockets) socket.pause();
  const closes = sockets.map((socket) => new Promise<number>((resolve) => socket.once("close", resolve)));
  resetPeak(pid);
  const rssBefore = status(pid, "VmRSS");
  const talk = chatter(normal);
  const started = performance.now();
  const sent = await within(Promise.all(sockets.map((socket) => flood(socket, floodBudget))), 30_000, "flood");
  const floodMs = performance.now() - started;
  const rssPeak = status(pid, "VmHWM");
  const conversation = await talk.finish();
  return {
    normal,
    sockets,
    closes,
    conversation,
    report: {
      maxBufferedBytes: cap,
      flooders,
      bytesSentMiB: mib(sent.reduce((a, b) => a + b, 0)),
      floodMs: Math.round(floodMs),
      ...rssReport(server, rssBefore, rssPeak),
      normal: conversation,
    },
  };
}

test("broadcast flood: receivers that never read are skipped, not queued for; readers get every message", async () => {
  const pid = capped.child.pid!;
  const messages = 512;
  const stalled = await Promise.all(Array.from({ length: stalledReceivers }, () => open(capped)));
  const reader = await open(capped);
  const caster = await open(capped, "?mode=broadcast");
  for (const socket of stalled) socket.pause();
  const got = new Map<WebSocket, number>([...stalled, reader].map((socket) => [socket, 0]));
  let readerInOrder = true;
  for (const socket of got.keys()) {
    socket.on("message", (data: Buffer, isBinary: boolean) => {
      if (!isBinary) return;
      if (socket === reader && data.readUInt32BE(0) !== got.get(reader)) readerInOrder = false;
      got.set(socket, got.get(socket)! + 1);
    });
  }

  resetPeak(pid);
  const rssBefore = status(pid, "VmRSS");
  const started = performance.now();
  // Paced by the caster's own copy: a reader is never behind by more than one message, so only stalled peers drop.
  for (let i = 0; i < messages; i++) {
    const frame = Buffer.alloc(frameBytes, 0x5a);
    frame.writeUInt32BE(i, 0);
    const own = new Promise<void>((resolve) => caster.once("message", () => resolve()));
    caster.send(frame);
    await within(own, 5000, `broadcast ${i}`);
  }
  for (const until = performance.now() + 5000; got.get(reader)! < messages && performance.now() < until; ) await pause(20);
  const floodMs = performance.now() - started;
  const rssPeak = status(pid, "VmHWM");

  // Skipped, not closed: once they read again, they get what was queued, then the next message (in order, so the count
  // when it arrives is everything the server had kept for them).
  const queuedFor = (socket: WebSocket) =>
    new Promise<number>((resolve) => {
      const onMessage = (data: Buffer) => {
        if (data.toString() !== "after the flood") return;
        socket.off("message", onMessage);
        resolve(got.get(socket)!);
      };
      socket.on("message", onMessage);
    });
  const counted = Promise.all(stalled.map(queuedFor));
  caster.send("after the flood");
  for (const socket of stalled) socket.resume();
  const queuedForStalled = await within(counted, 10_000, "the stalled receivers' next message");
  const report = {
    messages,
    broadcastMiB: mib(messages * frameBytes),
    floodMs: Math.round(floodMs),
    ...rssReport(capped, rssBefore, rssPeak),
    readerGot: got.get(reader),
    stalledGot: queuedForStalled,
  };
  process.stdout.write(`broadcast flood report: ${JSON.stringify(report)}\n`);

  expect(got.get(reader)).toBe(messages);
  expect(readerInOrder).toBe(true);
  // What a stalled peer got is what the kernel buffers held (about 4 MiB on loopback) plus at most the cap; the rest
  // was dropped for it.
  for (const count of queuedForStalled) expect(count).toBeLessThan(messages / 2);
  expect(report.rssGrowthMiB).toBeLessThan(report.rssGrowthBoundMiB);
  for (const socket of [...stalled, reader, caster]) expect(socket.readyState).toBe(WebSocket.OPEN);
  for (const socket of [...stalled, reader, caster]) socket.close(1000);
});

test("echo flood from clients that never read: RSS stays within the bound, they get 1013 and are freed, a normal client keeps its echoes", async () => {
  const { normal, sockets, closes, conversation, report } = await echoFlood(capped, maxBufferedBytes);
  process.stdout.write(`echo flood report, flood: ${JSON.stringify(report)}\n`);
  let echoedToFlooders = 0;
  for (const socket of sockets) socket.on("message", (data: Buffer) => (echoedToFlooders += data.length));
  // Now they read: what the server had queued arrives, then its close frame.
  for (const socket of sockets) socket.resume();
  const codes = await within(Promise.all(closes), 10_000, "flooder closes");
  let active = await activeConnections(capped);
  for (let i = 0; i < 50 && active !== 1; i++) active = await pause(100).then(() => activeConnections(capped));
  const after = { echoedToFloodersMiB: mib(echoedToFlooders), rssAfterMiB: mib(status(capped.child.pid!, "VmRSS")), closeCodes: codes };
  process.stdout.write(`echo flood report, after: ${JSON.stringify(after)}\n`);

  expect(report.bytesSentMiB).toBeGreaterThan(report.rssGrowthBoundMiB);
  expect(report.rssGrowthMiB).toBeLessThan(report.rssGrowthBoundMiB);
  expect(codes).toEqual(sockets.map(() => 1013));
  expect(conversation.sent).toBeGreaterThan(0);
  expect(conversation).toEqual({ sent: conversation.sent, echoed: conversation.sent, outOfOrder: 0 });
  expect(normal.readyState).toBe(WebSocket.OPEN);
  // Only the normal client is left: the flooders' connections, and what was queued for them, are gone.
  expect(active).toBe(1);
  normal.close(1000);
});

test("control: without the cap, the same flood grows the server past the bound", async () => {
  const { normal, sockets, report } = await echoFlood(uncapped, noCap);
  process.stdout.write(`echo flood report, no cap: ${JSON.stringify(report)}\n`);
  for (const socket of [normal, ...sockets]) socket.terminate();
  expect(report.rssGrowthMiB).toBeGreaterThan(report.rssGrowthBoundMiB);
});

test("a client that never reads at all is cut by the close handshake timeout, and its connection freed", async () => {
  const silent = await open(stock);
  silent.pause();
  expect(await activeConnections(stock)).toBe(1);
  const started = performance.now();
  const sent = await within(flood(silent, 16 * 1024 * 1024), 30_000, "flood");
  // Seen from the server: a paused client never reads the reset either, so its own close event would not come.
  let active = await activeConnections(stock);
  for (const until = performance.now() + 15_000; active !== 0 && performance.now() < until; ) active = await pause(100).then(() => activeConnections(stock));
  const freedAfterMs = performance.now() - started;
  process.stdout.write(`silent client report: ${JSON.stringify({ sentMiB: mib(sent), freedAfterMs: Math.round(freedAfterMs) })}\n`);
  silent.terminate();

  expect(active).toBe(0);
});
