// Smoke test through the ingress, run by the SmokeTest Job with only Node's standard library (no npm install in the pod):
// open the public URL as a page on the app's own origin would, require 101 Switching Protocols with a valid Sec-WebSocket-Accept, echo one message, exit 0.
// Retries until SMOKE_DEADLINE_SECONDS (DNS, load balancer and certificate may still be settling), then exits 1.
import { createHash, randomBytes } from "node:crypto";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"; // RFC 6455 §1.3
const env = process.env;
const url = new URL(required("SMOKE_URL"));
const message = env.SMOKE_MESSAGE || `smoke-${randomBytes(6).toString("hex")}`;
const deadline = Date.now() + Number(required("SMOKE_DEADLINE_SECONDS")) * 1000;
const secure = url.protocol === "wss:";
if (!secure && url.protocol !== "ws:") fail(`SMOKE_URL must be ws:// or wss://, got ${url.protocol}`);
// The Origin a page on the app's own host sends (the app refuses foreign and, unless told otherwise, missing ones);
// SMOKE_ORIGIN overrides it, and an empty SMOKE_ORIGIN sends none, as a native client does.
const origin = env.SMOKE_ORIGIN ?? `${secure ? "https" : "http"}://${url.host}`;
// Optional host:port to dial instead of the URL's host (e.g. the controller's Service); SNI and Host stay the URL's.
const [dialHost, dialPort] = (env.SMOKE_ADDRESS || `${url.hostname}:${url.port || (secure ? 443 : 80)}`).split(/:(?=\d+$)/);

function required(name) {
  const value = env[name];
  if (!value) fail(`${name} is not set`);
  return value;
}

function log(event, fields = {}) {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), event, ...fields })}\n`);
}

function fail(reason) {
  log("failed", { reason });
  process.exit(1);
}

/** One client frame: FIN set, masked as RFC 6455 §5.3 requires of clients. */
function frame(opcode, payload) {
  const mask = randomBytes(4);
  const length = payload.length;
  const header = length < 126 ? Buffer.from([0x80 | opcode, 0x80 | length]) : Buffer.from([0x80 | opcode, 0x80 | 126, length >> 8, length & 0xff]);
  const body = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]));
  return Buffer.concat([header, mask, body]);
}

/** Splits server frames (never masked) off the front of `buffer`; returns those complete and the rest. */
function parseFrames(buffer) {
  const frames = [];
  let offset = 0;
  while (buffer.length - offset >= 2) {
    const opcode = buffer[offset] & 0x0f;
    let length = buffer[offset + 1] & 0x7f;
    let start = offset + 2;
    if (length === 126) {
      if (buffer.length < start + 2) break;
      length = buffer.readUInt16BE(start);
      start += 2;
    } else if (length === 127) {
      if (buffer.length < start + 8) break;
      length = Number(buffer.readBigUInt64BE(start));
      start += 8;
    }
    if (buffer.length < start + length) break;
    frames.push({ opcode, payload: buffer.subarray(start, start + length) });
    offset = start + length;
  }
  return { frames, rest: buffer.subarray(offset) };
}

function attempt() {
  // One attempt gets at most 10 s, and never more than what is left before the deadline.
  const attemptTimeoutMs = Math.min(10_000, Math.max(1000, deadline - Date.now()));
  return new Promise((resolve, reject) => {
    const key = randomBytes(16).toString("base64");
    const started = Date.now();
    const request = (secure ? httpsRequest : httpRequest)({
      host: dialHost,
      port: Number(dialPort),
      servername: url.hostname,
      path: `${url.pathname}${url.search}`,
      headers: {
        Host: url.host,
        Connection: "Upgrade",
        Upgrade: "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": key,
        ...(origin ? { Origin: origin } : {}),
      },
      timeout: attemptTimeoutMs,
    });
    const timer = setTimeout(() => {
      request.destroy();
      reject(new Error(`no echo within ${attemptTimeoutMs} ms`));
    }, attemptTimeoutMs);
    const done = (error) => {
      clearTimeout(timer);
      if (error) reject(error);
      else resolve();
    };
    request.on("error", done);
    request.on("timeout", () => request.destroy(new Error("connect timeout")));
    request.on("response", (response) => {
      response.resume();
      done(new Error(`expected 101 Switching Protocols, got ${response.statusCode} ${response.statusMessage ?? ""}`.trim()));
    });
    request.on("upgrade", (response, socket, head) => {
      const expected = createHash("sha1").update(key + GUID).digest("base64");
      if (response.headers["sec-websocket-accept"] !== expected) {
        socket.destroy();
        return done(new Error("101 without a valid Sec-WebSocket-Accept: something between us and the app is not WebSocket-aware"));
      }
      log("upgraded", { status: response.statusCode, ms: Date.now() - started });
      let pending = head;
      const onData = (chunk) => {
        const { frames, rest } = parseFrames(Buffer.concat([pending, chunk]));
        pending = rest;
        for (const { opcode, payload } of frames) {
          if (opcode === 0x9) socket.write(frame(0xa, [...payload]));
          else if (opcode === 0x8) {
            socket.destroy();
            return done(new Error(`closed by the server before the echo (code ${payload.length >= 2 ? payload.readUInt16BE(0) : "none"})`));
          } else if (opcode === 0x1) {
            const text = payload.toString("utf8");
            if (text !== message) continue;
            log("echoed", { message, roundTripMs: Date.now() - started });
            socket.end(frame(0x8, [0x03, 0xe8])); // close 1000
            return done();
          }
        }
      };
      socket.on("data", onData);
      socket.on("error", done);
      socket.write(frame(0x1, [...Buffer.from(message, "utf8")]));
      if (pending.length > 0) onData(Buffer.alloc(0));
    });
    request.end();
  });
}

let attempts = 0;
for (;;) {
  attempts += 1;
  try {
    await attempt();
    log("passed", { url: url.href, attempts });
    process.exit(0);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const waitMs = Math.min(10_000, 1000 * 2 ** Math.min(attempts - 1, 4));
    if (Date.now() + waitMs >= deadline) fail(`${reason} (after ${attempts} attempts until the deadline)`);
    log("retrying", { attempt: attempts, reason, waitMs });
    await new Promise((resolve) => setTimeout(resolve, waitMs));
  }
}
