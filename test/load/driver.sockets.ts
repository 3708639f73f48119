import { runLoad, quantile } from "../../load/driver";
import { EchoServerProcess, startEchoServer, testOrigin } from "../echo-server/echoServerProcess";

/** The Node load driver against the reference app on loopback: small and bounded (about 5 s), numbers reported. */
let server: EchoServerProcess;

beforeAll(async () => {
  // Only pages on the test origin get in, so every upgrade below proves the driver sends it.
  server = await startEchoServer({}, { origins: { allowedOrigins: [testOrigin], allowMissingOrigin: false } });
});

afterAll(async () => {
  await server?.stop();
});

test("quantile takes the nearest rank", () => {
  const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
  expect(quantile(sorted, 0.5)).toBe(50);
  expect(quantile(sorted, 0.99)).toBe(99);
  expect(quantile([7], 0.99)).toBe(7);
  expect(quantile([], 0.5)).toBeNaN();
});

test("holds 500 connections through a ramp and reports round trips and drops", async () => {
  const report = await runLoad({
    url: `ws://127.0.0.1:${server.port}/`,
    connections: 500,
    rampSeconds: 1,
    holdSeconds: 3,
    messageIntervalMs: 250,
    connectTimeoutMs: 5000,
    origin: testOrigin,
  });
  process.stdout.write(`load report: ${JSON.stringify(report)}\n`);
  expect(report.upgraded).toBe(500);
  expect(report.failedUpgrades).toBe(0);
  expect(report.held).toBe(500);
  expect(report.drops).toBe(0);
  // Every connection sent for about 3 s at 4/s; nearly every message came back (the last in flight may not).
  expect(report.messagesSent).toBeGreaterThan(500 * 8);
  expect(report.echoesReceived).toBeGreaterThan(report.messagesSent * 0.95);
  expect(report.roundTripMs.p50).toBeLessThanOrEqual(report.roundTripMs.p99);
  expect(report.roundTripMs.samples).toBe(report.echoesReceived);
});
