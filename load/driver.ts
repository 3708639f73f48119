import { WebSocket } from "ws";

/** A small load run: ramp to `connections`, hold them while each echoes a message every interval, then close. */
export interface LoadOptions {
  url: string;
  connections: number;
  rampSeconds: number;
  holdSeconds: number;
  messageIntervalMs: number;
  /** Upper bound for one connection's upgrade; slower counts as a failed upgrade. */
  connectTimeoutMs: number;
  /** Extra CA for wss:// through a self-signed issuer (PEM). */
  ca?: string;
  /** `Origin` header to send, as a page on that origin would; without it the driver is a native client (no Origin). */
  origin?: string;
}

export interface LoadReport {
  target: number;
  upgraded: number;
  failedUpgrades: number;
  /** Connections still open when the hold ended. */
  held: number;
  /** Connections that closed or errored during the hold without us asking. */
  drops: number;
  messagesSent: number;
  echoesReceived: number;
  roundTripMs: { p50: number; p99: number; max: number; samples: number };
}

/** The q-quantile (0..1) of ascending `sorted` by nearest rank. */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1];
}

export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const sockets: WebSocket[] = [];
  const rtts: number[] = [];
  let upgraded = 0;
  let failedUpgrades = 0;
  let drops = 0;
  let messagesSent = 0;
  let stopping = false;
  const timers: NodeJS.Timeout[] = [];

  const open = (index: number) =>
    new Promise<void>((resolve) => {
      const socket = new WebSocket(options.url, {
        handshakeTimeout: options.connectTimeoutMs,
        ...(options.ca ? { ca: options.ca } : {}),
        ...(options.origin ? { origin: options.origin } : {}),
      });
      const sentAt = new Map<string, number>();
      let sequence = 0;
      socket.once("open", () => {
        upgraded += 1;
        sockets.push(socket);
        // Stagger the first message so the whole fleet does not send in lockstep.
        const start = setTimeout(() => {
          const tick = setInterval(() => {
            const id = `${index}-${sequence++}`;
            sentAt.set(id, performance.now());
            messagesSent += 1;
            socket.send(id);
          }, options.messageIntervalMs);
          timers.push(tick);
        }, Math.random() * options.messageIntervalMs);
        timers.push(start);
        resolve();
      });
      socket.on("message", (data) => {
        const id = data.toString();
        const at = sentAt.get(id);
        if (at === undefined) return;
        sentAt.delete(id);
        rtts.push(performance.now() - at);
      });
      socket.once("unexpected-response", (_req, res) => {
        failedUpgrades += 1;
        res.resume();
        socket.terminate();
        resolve();
      });
      socket.once("error", () => {
        if (socket.readyState !== WebSocket.OPEN && !sockets.includes(socket)) {
          failedUpgrades += 1;
          resolve();
        }
      });
      socket.once("close", () => {
        if (sockets.includes(socket) && !stopping) drops += 1;
      });
    });

  const stepMs = options.connections > 0 ? (options.rampSeconds * 1000) / options.connections : 0;
  const opening: Promise<void>[] = [];
  const rampStart = performance.now();
  for (let i = 0; i < options.connections; i++) {
    const due = rampStart + i * stepMs;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    opening.push(open(i));
  }
  await Promise.all(opening);
  await new Promise((resolve) => setTimeout(resolve, options.holdSeconds * 1000));
  const held = sockets.filter((s) => s.readyState === WebSocket.OPEN).length;
  stopping = true;
  for (const timer of timers) clearTimeout(timer);
  await Promise.all(
    sockets.map(
      (socket) =>
        new Promise<void>((resolve) => {
          if (socket.readyState === WebSocket.CLOSED) return resolve();
          const force = setTimeout(() => socket.terminate(), 2000);
          socket.once("close", () => {
            clearTimeout(force);
            resolve();
          });
          socket.close(1000, "load test done");
        }),
    ),
  );
  const sorted = [...rtts].sort((a, b) => a - b);
  const round = (value: number) => Math.round(value * 100) / 100;
  return {
    target: options.connections,
    upgraded,
    failedUpgrades,
    held,
    drops,
    messagesSent,
    echoesReceived: rtts.length,
    roundTripMs: {
      p50: round(quantile(sorted, 0.5)),
      p99: round(quantile(sorted, 0.99)),
      max: round(sorted[sorted.length - 1] ?? NaN),
      samples: sorted.length,
    },
  };
}
