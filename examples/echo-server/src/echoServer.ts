import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { WebSocket, WebSocketServer, type RawData, type ServerOptions } from "ws";
import { drainPlan } from "./drainPlan";
import type { EchoMetrics } from "./metrics";
import { originAllowed } from "./originCheck";
import { maxMessageBytes, type ServerSettings } from "./settings";

/** Close codes (RFC 6455 §7.4.1; 1013 from the IANA registry). */
export const CloseCode = { normal: 1000, goingAway: 1001, tryAgainLater: 1013 } as const;

/** Why an upgrade is answered with an HTTP error instead of 101. */
type Refusal = "draining" | "capacity" | "origin";

const refusals: Record<Refusal, { status: string; body: string; retryAfter: boolean }> = {
  draining: { status: "503 Service Unavailable", body: "server draining", retryAfter: true },
  capacity: { status: "503 Service Unavailable", body: "at capacity", retryAfter: true },
  // The origin itself is not echoed back: nothing the client sent is reflected.
  origin: { status: "403 Forbidden", body: "origin not allowed", retryAfter: false },
};

export type Log = (event: string, fields?: Record<string, unknown>) => void;

interface Client {
  socket: WebSocket;
  alive: boolean;
  broadcast: boolean;
  lifetimeTimer: NodeJS.Timeout;
}

/**
 * WebSocket echo/broadcast server with the platform's operational contract: separate liveness and readiness,
 * heartbeat pings, a connection capacity, and a drain that spreads 1001 closes over the drain window. Upgrades from
 * origins not allowed get 403; a connection whose unsent bytes would pass the cap is closed (echo) or skipped (broadcast).
 */
export class EchoServer {
  private readonly http: http.Server;
  private readonly metricsHttp: http.Server;
  private readonly wss: WebSocketServer;
  private readonly clients = new Set<Client>();
  private readonly heartbeat: NodeJS.Timeout;
  private draining = false;
  private drained?: Promise<void>;

  constructor(
    private readonly settings: ServerSettings,
    private readonly metrics: EchoMetrics,
    private readonly log: Log,
  ) {
    const plan = drainPlan(0, settings.drainWindowSeconds, settings.shutdownDeadlineSeconds);
    // closeTimeout bounds each close handshake (the installed ws 8.23 has it; @types/ws 8.18 does not list it).
    const options: ServerOptions & { closeTimeout: number } = {
      noServer: true,
      clientTracking: false,
      maxPayload: maxMessageBytes,
      closeTimeout: plan.closeHandshakeMs,
    };
    this.wss = new WebSocketServer(options);
    this.http = http.createServer((req, res) => this.onRequest(req, res));
    this.http.on("upgrade", (req, socket, head) => this.onUpgrade(req, socket, head));
    this.metricsHttp = http.createServer((req, res) => void this.onMetricsRequest(req, res));
    this.heartbeat = setInterval(() => this.beat(), settings.heartbeatSeconds * 1000);
    metrics.capacity(settings.maxConnections);
  }

  /** Starts both listeners; resolves with the bound ports (useful when the settings ask for port 0). */
  async listen(): Promise<{ port: number; metricsPort: number }> {
    const bind = (server: http.Server, port: number, backlog?: number) =>
      new Promise<number>((resolve, reject) => {
        server.once("error", reject);
        server.listen({ port, host: this.settings.host, backlog }, () => resolve((server.address() as AddressInfo).port));
      });
    const port = await bind(this.http, this.settings.port, this.settings.listenBacklog);
    const metricsPort = await bind(this.metricsHttp, this.settings.metricsPort);
    this.log("listening", { host: this.settings.host, port, metricsPort, backlog: this.settings.listenBacklog });
    return { port, metricsPort };
  }

  get ready(): boolean {
    return !this.draining && this.clients.size < this.settings.maxConnections;
  }

  get connections(): number {
    return this.clients.size;
  }

  /**
   * Starts the drain (idempotent): readiness fails at once, upgrades are refused, open connections get 1001 spread
   * over the drain window; resolves when all are closed or the hard-exit point is reached.
   */
  drain(): Promise<void> {
    this.drained ??= this.runDrain();
    return this.drained;
  }

  private async runDrain(): Promise<void> {
    this.draining = true;
    const start = Date.now();
    const targets = [...this.clients];
    const plan = drainPlan(targets.length, this.settings.drainWindowSeconds, this.settings.shutdownDeadlineSeconds);
    this.log("drain started", { connections: targets.length, windowSeconds: this.settings.drainWindowSeconds });

    const allClosed = new Promise<void>((resolve) => {
      const check = () => (this.clients.size === 0 ? resolve() : setTimeout(check, 20).unref());
      check();
    });
    let next = 0;
    const tickMs = Math.min(50, Math.max(2, Math.floor((this.settings.drainWindowSeconds * 1000) / Math.max(1, targets.length))));
    const closer = setInterval(() => {
      const elapsed = Date.now() - start;
      while (next < targets.length && plan.closeAt[next] <= elapsed) {
        const { socket } = targets[next++];
        if (socket.readyState === WebSocket.OPEN) socket.close(CloseCode.goingAway, "server draining");
      }
      if (next >= targets.length) clearInterval(closer);
    }, tickMs);

    let hardExit: NodeJS.Timeout | undefined;
    const deadline = new Promise<"deadline">((resolve) => {
      hardExit = setTimeout(() => resolve("deadline"), plan.hardExitMs);
    });
    const outcome = await Promise.race([allClosed.then(() => "closed" as const), deadline]);
    clearTimeout(hardExit);
    clearInterval(closer);
    if (outcome === "deadline") {
      this.log("drain deadline reached", { remaining: this.clients.size });
      for (const client of this.clients) client.socket.terminate();
    }
    clearInterval(this.heartbeat);
    await this.stopListening();
    this.log("drain finished", { durationMs: Date.now() - start, outcome });
  }

  private stopListening(): Promise<void> {
    const stop = (server: http.Server) =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    return Promise.all([stop(this.http), stop(this.metricsHttp)]).then(() => undefined);
  }

  /** Answers liveness or readiness; false when the request is for neither. */
  private health(req: http.IncomingMessage, res: http.ServerResponse): boolean {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET") return false;
    if (path === this.settings.livenessPath) plain(res, 200, "ok");
    else if (path === this.settings.readinessPath) {
      if (this.ready) plain(res, 200, "ready");
      else plain(res, 503, this.draining ? "draining" : "at capacity");
    } else return false;
    return true;
  }

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (this.health(req, res)) return;
    res.setHeader("Upgrade", "websocket");
    plain(res, 426, "WebSocket upgrade required");
  }

  /** Health is served here too: this listener's accept queue does not fill up in a reconnect storm. */
  private async onMetricsRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (this.health(req, res)) return;
    if (req.method !== "GET" || (req.url ?? "").split("?")[0] !== "/metrics") return plain(res, 404, "not found");
    res.writeHead(200, { "Content-Type": this.metrics.contentType });
    res.end(await this.metrics.render());
  }

  private onUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on("error", () => this.metrics.error("socket"));
    // Before any state check: a page on a foreign origin learns nothing about the server, not even that it drains.
    if (!originAllowed(req, this.settings)) return this.refuse(socket, "origin");
    if (this.draining) return this.refuse(socket, "draining");
    if (this.clients.size >= this.settings.maxConnections) return this.refuse(socket, "capacity");
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, req));
  }

  private refuse(socket: Duplex, reason: Refusal): void {
    this.metrics.error(reason);
    const { status, body, retryAfter } = refusals[reason];
    socket.end(
      `HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n${retryAfter ? "Retry-After: 1\r\n" : ""}\r\n${body}`,
    );
  }

  private onConnection(socket: WebSocket, req: http.IncomingMessage): void {
    const broadcast = new URL(req.url ?? "/", "http://localhost").searchParams.get("mode") === "broadcast";
    // Each connection ends by its expected lifetime, jittered so a busy pod's connections do not all end together.
    const lifetimeMs = this.settings.connectionLifetimeSeconds * 1000 * (0.9 + 0.1 * Math.random());
    const client: Client = {
      socket,
      alive: true,
      broadcast,
      lifetimeTimer: setTimeout(() => socket.close(CloseCode.normal, "connection lifetime reached"), lifetimeMs),
    };
    this.clients.add(client);
    this.metrics.opened();
    if (this.draining) socket.close(CloseCode.goingAway, "server draining");

    socket.on("pong", () => {
      client.alive = true;
    });
    socket.on("message", (data: RawData, isBinary: boolean) => {
      this.metrics.message("received");
      if (client.broadcast) {
        // A receiver over the cap misses this message: one slow reader must not grow the server's memory.
        for (const other of this.clients) this.send(other.socket, data, isBinary);
      } else if (!this.send(socket, data, isBinary) && socket.readyState === WebSocket.OPEN) {
        this.overflow(socket);
      }
    });
    socket.on("error", () => this.metrics.error("socket"));
    socket.on("close", (code: number) => {
      clearTimeout(client.lifetimeTimer);
      this.clients.delete(client);
      this.metrics.closed(code);
    });
  }

  /** Queues a message unless the connection is not open or its unsent bytes would pass the cap; true when queued. */
  private send(socket: WebSocket, data: RawData, isBinary: boolean): boolean {
    if (socket.readyState !== WebSocket.OPEN) return false;
    if (socket.bufferedAmount + byteLength(data) > this.settings.maxBufferedBytes) return false;
    socket.send(data, { binary: isBinary });
    this.metrics.message("sent");
    return true;
  }

  /**
   * 1013 (try again later), not 1008 (policy violation): a peer that reads too slowly broke no rule and may be on a
   * stalled network; it should reconnect with back-off. The close frame waits behind at most the cap; the close
   * handshake timeout destroys the socket, and its queued bytes with it, if the peer never reads it.
   */
  private overflow(socket: WebSocket): void {
    this.metrics.error("backpressure");
    socket.close(CloseCode.tryAgainLater, "send buffer full");
  }

  /** Pings every client; one that did not answer the previous ping is gone and is cut. */
  private beat(): void {
    for (const client of this.clients) {
      if (!client.alive) {
        this.metrics.error("heartbeat_timeout");
        client.socket.terminate();
        continue;
      }
      client.alive = false;
      client.socket.ping();
    }
  }
}

function byteLength(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((sum, part) => sum + part.length, 0);
  return data instanceof ArrayBuffer ? data.byteLength : data.length;
}

function plain(res: http.ServerResponse, status: number, body: string): void {
  res.writeHead(status, { "Content-Type": "text/plain", "Cache-Control": "no-store" });
  res.end(body);
}
