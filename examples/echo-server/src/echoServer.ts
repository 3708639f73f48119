import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { WebSocket, WebSocketServer, type RawData, type ServerOptions } from "ws";
import { drainPlan } from "./drainPlan";
import type { EchoMetrics } from "./metrics";
import type { ServerSettings } from "./settings";

/** Close codes (RFC 6455 §7.4.1). */
export const CloseCode = { normal: 1000, goingAway: 1001 } as const;

export type Log = (event: string, fields?: Record<string, unknown>) => void;

interface Client {
  socket: WebSocket;
  alive: boolean;
  broadcast: boolean;
  lifetimeTimer: NodeJS.Timeout;
}

/**
 * WebSocket echo/broadcast server with the platform's operational contract: separate liveness and readiness,
 * heartbeat pings, a connection capacity, and a drain that spreads 1001 closes over the drain window.
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
      maxPayload: 64 * 1024,
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
    const bind = (server: http.Server, port: number) =>
      new Promise<number>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, this.settings.host, () => resolve((server.address() as AddressInfo).port));
      });
    const port = await bind(this.http, this.settings.port);
    const metricsPort = await bind(this.metricsHttp, this.settings.metricsPort);
    this.log("listening", { host: this.settings.host, port, metricsPort });
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

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method === "GET" && path === this.settings.livenessPath) return plain(res, 200, "ok");
    if (req.method === "GET" && path === this.settings.readinessPath) {
      if (this.ready) return plain(res, 200, "ready");
      return plain(res, 503, this.draining ? "draining" : "at capacity");
    }
    res.setHeader("Upgrade", "websocket");
    plain(res, 426, "WebSocket upgrade required");
  }

  private async onMetricsRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (req.method !== "GET" || (req.url ?? "").split("?")[0] !== "/metrics") return plain(res, 404, "not found");
    res.writeHead(200, { "Content-Type": this.metrics.contentType });
    res.end(await this.metrics.render());
  }

  private onUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on("error", () => this.metrics.error("socket"));
    if (this.draining) return this.refuse(socket, "draining");
    if (this.clients.size >= this.settings.maxConnections) return this.refuse(socket, "capacity");
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, req));
  }

  private refuse(socket: Duplex, reason: "draining" | "capacity"): void {
    this.metrics.error(reason);
    const body = reason === "draining" ? "server draining" : "at capacity";
    socket.end(
      `HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\nRetry-After: 1\r\n\r\n${body}`,
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
        for (const other of this.clients) this.send(other.socket, data, isBinary);
      } else {
        this.send(socket, data, isBinary);
      }
    });
    socket.on("error", () => this.metrics.error("socket"));
    socket.on("close", (code: number) => {
      clearTimeout(client.lifetimeTimer);
      this.clients.delete(client);
      this.metrics.closed(code);
    });
  }

  private send(socket: WebSocket, data: RawData, isBinary: boolean): void {
    if (socket.readyState !== WebSocket.OPEN) return;
    socket.send(data, { binary: isBinary });
    this.metrics.message("sent");
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

function plain(res: http.ServerResponse, status: number, body: string): void {
  res.writeHead(status, { "Content-Type": "text/plain", "Cache-Control": "no-store" });
  res.end(body);
}
