// @ts-check
// Load test through the ingress: ramp to TARGET connections (one per VU), hold them while each echoes a message every
// MESSAGE_INTERVAL_MS, then ramp down. Type-checked against @types/k6 (load/tsconfig.json). Run (docs/load-testing.md):
//   k6 run -e WS_URL="$(pulumi stack output urls --json | jq -r '.[0]')" -e TARGET=1000 load/websocket.k6.js
import { check, sleep } from "k6";
import exec from "k6/execution";
import { Counter, Rate, Trend } from "k6/metrics";
import { clearInterval, setInterval, setTimeout } from "k6/timers";
import { WebSocket } from "k6/websockets";

/** @param {string} name @param {number} fallback */
function numberEnv(name, fallback) {
  const raw = __ENV[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, got ${raw}`);
  return value;
}

const url = __ENV.WS_URL;
if (!url || !/^wss?:\/\//.test(url)) throw new Error("WS_URL must be the ws:// or wss:// URL to test, e.g. a stack's `urls` output");
const target = numberEnv("TARGET", 100);
const rampSeconds = numberEnv("RAMP_SECONDS", 60);
const holdSeconds = numberEnv("HOLD_SECONDS", 120);
const messageIntervalMs = numberEnv("MESSAGE_INTERVAL_MS", 1000);
const rttP95Ms = numberEnv("RTT_P95_MS", 500);
// The app refuses (403) origins it does not allow and, unless told otherwise, clients without one; k6 sends none.
const origin = __ENV.ORIGIN;

const upgradeOk = new Rate("ws_upgrade_ok");
const roundTrip = new Trend("ws_round_trip", true);
const unexpectedCloses = new Counter("ws_unexpected_closes");

/** @type {import("k6/options").Options} */
export const options = {
  scenarios: {
    connections: {
      executor: "ramping-vus",
      startVUs: 0,
      stages: [
        { duration: `${rampSeconds}s`, target },
        { duration: `${holdSeconds}s`, target },
        { duration: "10s", target: 0 },
      ],
      gracefulRampDown: "15s",
    },
  },
  thresholds: {
    ws_upgrade_ok: ["rate>0.99"],
    ws_round_trip: [`p(95)<${rttP95Ms}`],
    ws_unexpected_closes: ["count<1"],
    ws_connecting: ["p(95)<2000"],
    checks: ["rate>0.99"],
  },
};

export default function () {
  // One connection per VU, held until the hold stage ends (the same moment for every VU), then closed by us.
  const endsAt = exec.scenario.startTime + (rampSeconds + holdSeconds) * 1000;
  if (Date.now() >= endsAt) {
    sleep(1); // ramp-down: do not open new connections
    return;
  }
  const ws = new WebSocket(url, null, origin ? { headers: { Origin: origin } } : null);
  /** @type {Map<string, number>} */
  const sent = new Map();
  let opened = false;
  let closing = false;
  let sequence = 0;
  /** @type {number | undefined} */
  let ticker;

  ws.onopen = () => {
    opened = true;
    upgradeOk.add(1);
    ticker = setInterval(() => {
      const id = `${__VU}-${sequence++}`;
      sent.set(id, Date.now());
      ws.send(id);
    }, messageIntervalMs);
    setTimeout(() => {
      closing = true;
      if (ticker !== undefined) clearInterval(ticker);
      ws.close();
    }, endsAt - Date.now());
  };
  ws.onmessage = (event) => {
    const id = String(event?.data);
    const at = sent.get(id);
    if (at === undefined) return;
    sent.delete(id);
    roundTrip.add(Date.now() - at);
    check(id, { "echo matches": (value) => value.startsWith(`${__VU}-`) });
  };
  ws.onerror = () => {
    if (!opened) upgradeOk.add(0);
  };
  ws.onclose = () => {
    if (ticker !== undefined) clearInterval(ticker);
    if (opened && !closing) unexpectedCloses.add(1);
    check(opened, { "upgraded (101)": (value) => value });
  };
}
