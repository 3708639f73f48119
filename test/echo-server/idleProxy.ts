import * as net from "node:net";

/**
 * A loopback TCP proxy that cuts a connection after `idleMs` without a byte in either direction, as ingress
 * controllers do with their default timeouts (ingress-nginx proxy-read-timeout 60 s).
 */
export interface IdleProxy {
  port: number;
  /** Connections cut for idleness so far. */
  cuts: number;
  close(): Promise<void>;
}

export function startIdleProxy(upstreamPort: number, idleMs: number): Promise<IdleProxy> {
  const pairs = new Set<{ client: net.Socket; upstream: net.Socket; last: number }>();
  const state = { cuts: 0 };
  const server = net.createServer((client) => {
    const upstream = net.connect(upstreamPort, "127.0.0.1");
    const pair = { client, upstream, last: Date.now() };
    pairs.add(pair);
    const touch = () => {
      pair.last = Date.now();
    };
    client.on("data", touch);
    upstream.on("data", touch);
    client.pipe(upstream);
    upstream.pipe(client);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on("close", end);
    upstream.on("close", end);
    client.on("error", end);
    upstream.on("error", end);
  });
  const sweeper = setInterval(() => {
    for (const pair of pairs) {
      if (Date.now() - pair.last >= idleMs) {
        state.cuts += 1;
        pairs.delete(pair);
        // A reset, like a proxy timing out: the client sees an abnormal close (1006), not a close frame.
        pair.client.resetAndDestroy();
        pair.upstream.destroy();
      }
    }
  }, 250);
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () =>
      resolve({
        port: (server.address() as net.AddressInfo).port,
        get cuts() {
          return state.cuts;
        },
        close: () =>
          new Promise<void>((done) => {
            clearInterval(sweeper);
            for (const pair of pairs) {
              pair.client.destroy();
              pair.upstream.destroy();
            }
            server.close(() => done());
          }),
      }),
    );
  });
}
