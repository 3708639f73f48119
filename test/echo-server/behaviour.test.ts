import { WebSocket } from "ws";
import { webSocketMetrics } from "../../components/metrics/contract";
import { EchoServerProcess, httpStatus, scrapeMetrics, startEchoServer } from "./echoServerProcess";

/** Capacity, readiness, echo, broadcast and the metrics contract, against the real process on loopback. */
let server: EchoServerProcess;
const open: WebSocket[] = [];

beforeAll(async () => {
  server = await startEchoServer({ maxConnectionsPerPod: 3 });
});

afterAll(async () => {
  for (const socket of open) socket.terminate();
  await server?.stop();
});

function connect(query = ""): Promise<WebSocket | number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}/${query}`, { handshakeTimeout: 5000 });
    socket.once("open", () => {
      open.push(socket);
      resolve(socket);
    });
    socket.once("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
    socket.once("error", reject);
  });
}

function next(socket: WebSocket): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no message within 5 s")), 5000);
    socket.once("message", (data) => {
      clearTimeout(timer);
      resolve(data.toString());
    });
  });
}

const scrape = () => scrapeMetrics(server);

function sample(text: string, name: string, labels = ""): number {
  const line = text.split("\n").find((l) => l.startsWith(`${name}${labels} `));
  return line === undefined ? NaN : Number(line.split(" ")[1]);
}

test("echo, broadcast, capacity and readiness; the metrics follow the contract", async () => {
  expect(await httpStatus(server.port, "/livez")).toBe(200);
  expect(await httpStatus(server.port, "/readyz")).toBe(200);
  expect(await httpStatus(server.port, "/anything")).toBe(426);

  const a = (await connect()) as WebSocket;
  const b = (await connect()) as WebSocket;
  const caster = (await connect("?mode=broadcast")) as WebSocket;
  expect(open).toHaveLength(3);

  const echoed = next(a);
  a.send("ping from a");
  expect(await echoed).toBe("ping from a");
  const toA = next(a);
  const toB = next(b);
  const toCaster = next(caster);
  caster.send("to everyone");
  expect(await Promise.all([toA, toB, toCaster])).toEqual(["to everyone", "to everyone", "to everyone"]);

  // Full: readiness fails so endpoints stop sending new clients, and a fourth upgrade is refused.
  expect(await httpStatus(server.port, "/readyz")).toBe(503);
  expect(await connect()).toBe(503);

  const closed = new Promise<number>((resolve) => b.once("close", resolve));
  b.close(1000);
  expect(await closed).toBe(1000);
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(await httpStatus(server.port, "/readyz")).toBe(200);

  const text = await scrape();
  for (const definition of Object.values(webSocketMetrics)) {
    expect(text).toContain(`# HELP ${definition.name} ${definition.help}`);
    expect(text).toContain(`# TYPE ${definition.name} ${definition.type}`);
  }
  const m = webSocketMetrics;
  expect(sample(text, m.activeConnections.name)).toBe(2);
  expect(sample(text, m.connectionsOpened.name)).toBe(3);
  expect(sample(text, m.connectionCapacity.name)).toBe(3);
  expect(sample(text, m.messages.name, '{direction="received"}')).toBe(2);
  expect(sample(text, m.messages.name, '{direction="sent"}')).toBe(4);
  const closedLines = text.split("\n").filter((l) => l.startsWith(m.connectionsClosed.name));
  expect(closedLines.reduce((sum, l) => sum + Number(l.split(" ")[1]), 0)).toBe(1);
  const errorLines = text.split("\n").filter((l) => l.startsWith(`${m.errors.name}{`));
  expect(errorLines.reduce((sum, l) => sum + Number(l.split(" ")[1]), 0)).toBe(1);
});
