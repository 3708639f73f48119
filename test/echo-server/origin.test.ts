import fc from "fast-check";
import type { IncomingMessage } from "node:http";
import * as net from "node:net";
import { normalizeOrigin } from "../../components/app/origin";
import { originEnvironment, runtimeEnvironmentNames as names } from "../../components/app/runtimeEnvironment";
import { originAllowed } from "../../examples/echo-server/src/originCheck";
import { EchoServerProcess, startEchoServer, upgradeStatus } from "./echoServerProcess";

/**
 * Cross-site WebSocket hijacking: the real server on loopback, a real `ws` client sending forged origins. A refused
 * upgrade is an HTTP 403 before any 101, so a page on another origin never gets a socket.
 */
const allowed = ["https://app.example", "http://localhost:3000"];
let strict: EchoServerProcess;
let native: EchoServerProcess;

beforeAll(async () => {
  [strict, native] = await Promise.all([
    startEchoServer({}, { origins: { allowedOrigins: allowed, allowMissingOrigin: false } }),
    startEchoServer({}, { origins: { allowedOrigins: allowed, allowMissingOrigin: true } }),
  ]);
});

afterAll(async () => {
  await Promise.all([strict?.stop(), native?.stop()]);
});


/** A hand-written handshake for what `ws` will not send (two Origin headers); resolves with the status line's code. */
function rawUpgradeStatus(port: number, extraHeaders: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () =>
      socket.write(
        `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n${extraHeaders}\r\n`,
      ),
    );
    socket.setTimeout(5000, () => socket.destroy(new Error("no answer within 5 s")));
    socket.once("data", (chunk: Buffer) => {
      socket.destroy();
      resolve(Number(chunk.toString("latin1").split(" ")[1]));
    });
    socket.once("error", reject);
  });
}

test.each([
  ["an allowed origin", "https://app.example", 101],
  ["an allowed origin in upper case (origins compare case-insensitively)", "HTTPS://APP.EXAMPLE", 101],
  ["an allowed origin with its default port spelled out", "https://app.example:443", 101],
  ["the other allowed origin, with its port", "http://localhost:3000", 101],
  ["a foreign site", "https://evil.example", 403],
  ["the opaque origin of sandboxed frames and file pages", "null", 403],
  ["an allowed host on another port", "https://app.example:8443", 403],
  ["an allowed host over another scheme", "http://app.example", 403],
  ["an allowed port on another host's origin", "http://localhost:3001", 403],
  ["an allowed origin as a prefix of another host", "https://app.example.evil.example", 403],
  ["an allowed origin as a suffix of another host", "https://evilapp.example", 403],
  ["an origin with a path (no browser sends it)", "https://app.example/", 403],
])("%s: %p gets %p", async (_case, origin, status) => {
  expect(await upgradeStatus(strict.port, { origin })).toBe(status);
});

test("a missing Origin is refused unless the native-client opt-out is on", async () => {
  expect(await upgradeStatus(strict.port)).toBe(403);
  expect(await upgradeStatus(native.port)).toBe(101);
  // The opt-out admits clients without an Origin only; forged origins are refused all the same.
  expect(await upgradeStatus(native.port, { origin: "https://evil.example" })).toBe(403);
});

test("protocol version 8 carries the origin in Sec-WebSocket-Origin, and it is checked too", async () => {
  expect(await upgradeStatus(native.port, { protocolVersion: 8, origin: "https://evil.example" })).toBe(403);
  expect(await upgradeStatus(native.port, { protocolVersion: 8, origin: "https://app.example" })).toBe(101);
});

test("two origin claims are refused, even when one of them is allowed", async () => {
  expect(await rawUpgradeStatus(native.port, "Origin: https://app.example\r\nOrigin: https://evil.example\r\n")).toBe(403);
  expect(await rawUpgradeStatus(native.port, "Origin: https://app.example\r\nSec-WebSocket-Origin: https://app.example\r\n")).toBe(403);
  expect(await rawUpgradeStatus(native.port, "Origin: https://app.example\r\n")).toBe(101);
});

test("an empty Origin header is a claim, not a missing one: refused even with the opt-out", async () => {
  expect(await rawUpgradeStatus(native.port, "Origin: \r\n")).toBe(403);
});

test("the 403 says nothing about the server and reflects nothing the client sent", async () => {
  const answer = await new Promise<string>((resolve, reject) => {
    const socket = net.connect(strict.port, "127.0.0.1", () =>
      socket.write(
        "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nOrigin: https://evil.example\r\n\r\n",
      ),
    );
    let text = "";
    socket.on("data", (chunk: Buffer) => (text += chunk.toString("latin1")));
    socket.once("close", () => resolve(text));
    socket.once("error", reject);
  });
  expect(answer.split("\r\n")[0]).toBe("HTTP/1.1 403 Forbidden");
  expect(answer).not.toContain("evil");
  expect(answer).not.toMatch(/Sec-WebSocket-Accept/i);
});

describe("originAllowed with any origin", () => {
  const request = (headers: Record<string, string[]>) => ({ headersDistinct: headers }) as unknown as IncomingMessage;
  test("* admits every single origin claim, and a missing one only with the opt-out", () => {
    expect(originAllowed(request({ origin: ["https://evil.example"] }), { allowedOrigins: "*", allowMissingOrigin: false })).toBe(true);
    expect(originAllowed(request({ origin: ["null"] }), { allowedOrigins: "*", allowMissingOrigin: false })).toBe(true);
    expect(originAllowed(request({}), { allowedOrigins: "*", allowMissingOrigin: false })).toBe(false);
    expect(originAllowed(request({}), { allowedOrigins: "*", allowMissingOrigin: true })).toBe(true);
  });
});

describe("the origin contract between the platform and the server", () => {
  test("normalisation: lower case, default ports dropped, IDN as punycode; anything but scheme://host[:port] is not an origin", () => {
    expect(normalizeOrigin("HTTPS://App.Example:443")).toBe("https://app.example");
    expect(normalizeOrigin("http://app.example:80")).toBe("http://app.example");
    expect(normalizeOrigin("https://app.example:8443")).toBe("https://app.example:8443");
    expect(normalizeOrigin("https://bücher.example")).toBe("https://xn--bcher-kva.example");
    for (const bad of ["null", "*", "", "app.example", "https://app.example/", "https://user@app.example", "https://app.example?x", "https://a.example,https://b.example", "https://app.example:99999"]) {
      expect([bad, normalizeOrigin(bad)]).toEqual([bad, undefined]);
    }
  });

  test("any case and a spelled-out default port compare equal; a path, query, fragment or user info never passes", () => {
    // Labels start with a letter: an all-digit host is an IPv4 address to URL parsers (http://0 is http://0.0.0.0).
    const label = fc.stringMatching(/^[a-z][a-z0-9]{0,5}(-[a-z0-9]{1,5})?$/);
    const scheme = fc.constantFrom(["http", 80], ["https", 443], ["ws", 80], ["wss", 443]);
    const flipCase = (text: string, flips: boolean[]) => [...text].map((c, i) => (flips[i % flips.length] ? c.toUpperCase() : c)).join("");
    fc.assert(
      fc.property(scheme, fc.array(label, { minLength: 1, maxLength: 4 }), fc.array(fc.boolean(), { minLength: 1 }), fc.constantFrom("/", "/x", "?q", "#f"), ([name, port], labels, flips, tail) => {
        const origin = `${name}://${labels.join(".")}`;
        const canonical = normalizeOrigin(origin);
        expect(canonical).toBe(origin.toLowerCase());
        expect(normalizeOrigin(flipCase(origin, flips))).toBe(canonical);
        expect(normalizeOrigin(`${origin}:${port}`)).toBe(canonical);
        expect(normalizeOrigin(`${origin}:${(port as number) + 1}`)).toBe(`${canonical}:${(port as number) + 1}`);
        expect(normalizeOrigin(`${origin}${tail}`)).toBeUndefined();
        expect(normalizeOrigin(`${name}://user@${labels.join(".")}`)).toBeUndefined();
      }),
    );
  });

  test("originEnvironment writes normalised, de-duplicated origins and the opt-out", () => {
    expect(originEnvironment({ allowedOrigins: ["https://App.example:443", "https://app.example", "http://localhost:3000"], allowMissingOrigin: false })).toEqual({
      [names.allowedOrigins]: "https://app.example,http://localhost:3000",
      [names.allowMissingOrigin]: "false",
    });
    expect(originEnvironment({ allowedOrigins: "*", allowMissingOrigin: true })).toEqual({ ALLOWED_ORIGINS: "*", ALLOW_MISSING_ORIGIN: "true" });
    expect(originEnvironment({ allowedOrigins: [], allowMissingOrigin: true })).toEqual({ ALLOWED_ORIGINS: "", ALLOW_MISSING_ORIGIN: "true" });
  });

  test("originEnvironment names every value that is not an origin, and refuses a policy that admits no one", () => {
    expect(() => originEnvironment({ allowedOrigins: ["https://app.example/", "null", "https://ok.example"], allowMissingOrigin: true })).toThrow(
      'allowed origins: "https://app.example/", "null" are not origins: scheme://host[:port] without path or trailing slash, or "*" alone for any',
    );
    expect(() => originEnvironment({ allowedOrigins: ["*"], allowMissingOrigin: true })).toThrow('"*" is not an origin');
    expect(() => originEnvironment({ allowedOrigins: [], allowMissingOrigin: false })).toThrow("lets no client connect");
  });
});
