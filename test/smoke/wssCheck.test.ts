import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import * as tls from "node:tls";
import { WebSocketServer } from "ws";
import { smokeCheckScriptPath } from "../../components/smoke/smokeTest";
import { EchoServerProcess, startEchoServer, testOrigin } from "../echo-server/echoServerProcess";

/**
 * The exact script the smoke-test Job runs, run here with plain `node` against the reference server on loopback:
 * through a TLS-terminating proxy that stands in for the ingress, trusting a throwaway CA the way the Job trusts the
 * dev issuer's CA. Every run is bounded by SMOKE_DEADLINE_SECONDS.
 */
let echo: EchoServerProcess;
let pki: string;
let tlsProxy: tls.Server;
let tlsPort: number;
const host = "ws.smoke.test";

function run(env: Record<string, string>): Promise<{ code: number | null; lines: Record<string, unknown>[] }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [smokeCheckScriptPath], { env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    const killer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("exit", (code) => {
      clearTimeout(killer);
      resolve({ code, lines: out.trim().split("\n").filter(Boolean).map((l) => JSON.parse(l)) });
    });
  });
}

beforeAll(async () => {
  // As in a staging or prod pod: the public host's page (and a test page) only, no missing Origin.
  echo = await startEchoServer({}, { origins: { allowedOrigins: [`https://${host}`, testOrigin], allowMissingOrigin: false } });
  pki = fs.mkdtempSync(path.join(os.tmpdir(), "smoke-pki-"));
  const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: pki, stdio: "ignore" });
  openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "1", "-subj", "/CN=smoke test CA");
  openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "leaf.key", "-out", "leaf.csr", "-subj", `/CN=${host}`);
  fs.writeFileSync(path.join(pki, "ext.cnf"), `subjectAltName=DNS:${host}\n`);
  openssl("x509", "-req", "-in", "leaf.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "leaf.crt", "-days", "1", "-extfile", "ext.cnf");
  // The stand-in ingress: terminates TLS for the public host name and forwards bytes to the app.
  tlsProxy = tls.createServer({ key: fs.readFileSync(path.join(pki, "leaf.key")), cert: fs.readFileSync(path.join(pki, "leaf.crt")) }, (client) => {
    const upstream = net.connect(echo.port, "127.0.0.1");
    client.pipe(upstream).pipe(client);
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
  });
  tlsPort = await new Promise<number>((resolve) => tlsProxy.listen(0, "127.0.0.1", () => resolve((tlsProxy.address() as net.AddressInfo).port)));
});

afterAll(async () => {
  tlsProxy?.close();
  await echo?.stop();
  if (pki) fs.rmSync(pki, { recursive: true, force: true });
});

test("ws://: 101, then the echo, then exit 0", async () => {
  const { code, lines } = await run({ SMOKE_URL: `ws://127.0.0.1:${echo.port}/`, SMOKE_ORIGIN: testOrigin, SMOKE_DEADLINE_SECONDS: "10" });
  expect(code).toBe(0);
  expect(lines.map((l) => l.event)).toEqual(["upgraded", "echoed", "passed"]);
  expect(lines[0].status).toBe(101);
});

test("wss:// through the TLS proxy, dialled by address, trusting the CA given in NODE_EXTRA_CA_CERTS", async () => {
  const { code, lines } = await run({
    SMOKE_URL: `wss://${host}/`,
    SMOKE_ADDRESS: `127.0.0.1:${tlsPort}`,
    SMOKE_DEADLINE_SECONDS: "10",
    NODE_EXTRA_CA_CERTS: path.join(pki, "ca.crt"),
  });
  expect(code).toBe(0);
  expect(lines.at(-1)).toMatchObject({ event: "passed", url: `wss://${host}/` });
});

test("the Origin it sends: the URL's host over https:// by default (passed above), SMOKE_ORIGIN instead; a refused one fails with the 403", async () => {
  // A one-second deadline leaves no room for a retry (the first wait is 1 s): each refusal fails at once.
  const forged = await run({ SMOKE_URL: `ws://127.0.0.1:${echo.port}/`, SMOKE_ORIGIN: "https://evil.example", SMOKE_DEADLINE_SECONDS: "1" });
  expect(forged.code).toBe(1);
  expect(String(forged.lines.at(-1)!.reason)).toContain("expected 101 Switching Protocols, got 403");
  // The default for ws:// is http://<host>[:port], which this server does not list; an empty SMOKE_ORIGIN sends none, refused too.
  for (const env of [{}, { SMOKE_ORIGIN: "" }] as Record<string, string>[]) {
    const { code, lines } = await run({ SMOKE_URL: `ws://127.0.0.1:${echo.port}/`, SMOKE_DEADLINE_SECONDS: "1", ...env });
    expect(code).toBe(1);
    expect(String(lines.at(-1)!.reason)).toContain("got 403");
  }
});

test("without the CA the certificate is refused and the check fails by its deadline", async () => {
  const { code, lines } = await run({ SMOKE_URL: `wss://${host}/`, SMOKE_ADDRESS: `127.0.0.1:${tlsPort}`, SMOKE_DEADLINE_SECONDS: "1" });
  expect(code).toBe(1);
  expect(String(lines.at(-1)!.reason)).toMatch(/self-signed certificate|unable to verify|certificate/);
});

test("a route that answers HTTP instead of upgrading is retried until the deadline, then fails with the status it got", async () => {
  const plain = http.createServer((_req, res) => res.end("hello"));
  const port = await new Promise<number>((resolve) => plain.listen(0, "127.0.0.1", () => resolve((plain.address() as net.AddressInfo).port)));
  const { code, lines } = await run({ SMOKE_URL: `ws://127.0.0.1:${port}/`, SMOKE_DEADLINE_SECONDS: "2" });
  plain.close();
  expect(code).toBe(1);
  // Two seconds: one retry after the first 1 s wait, then the next wait (2 s) would pass the deadline.
  expect(lines.filter((l) => l.event === "retrying")).toEqual([expect.objectContaining({ attempt: 1, waitMs: 1000 })]);
  expect(String(lines.at(-1)!.reason)).toContain("expected 101 Switching Protocols, got 200 OK (after 2 attempts until the deadline)");
});

test("an upgrade without the echo fails: a WebSocket server that does not answer is not a working app", async () => {
  const mute = await new Promise<WebSocketServer>((resolve) => {
    const wss: WebSocketServer = new WebSocketServer({ host: "127.0.0.1", port: 0 }, () => resolve(wss));
  });
  const { code, lines } = await run({ SMOKE_URL: `ws://127.0.0.1:${(mute.address() as net.AddressInfo).port}/`, SMOKE_DEADLINE_SECONDS: "1" });
  mute.close();
  expect(code).toBe(1);
  expect(String(lines.at(-1)!.reason)).toContain("no echo within");
});
