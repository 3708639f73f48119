import fc from "fast-check";
import { originEnvironment, runtimeEnvironment, runtimeEnvironmentNames } from "../../components/app/runtimeEnvironment";
import { drainTimeline } from "../../components/app/timings";
import { appSchema } from "../../components/config/schema/app";
import { drainPlan } from "../../examples/echo-server/src/drainPlan";
import { SettingsError, readSettings } from "../../examples/echo-server/src/settings";

const app = (over: Record<string, unknown> = {}) => appSchema.parse({ image: "registry.example/echo-server:1.0.0", ...over });
/** What the Deployment's container gets: the app mapping plus the origin policy the platform adds. */
const containerEnv = (settings = app(), origins = originEnvironment({ allowedOrigins: ["https://app.example"], allowMissingOrigin: false })) => ({
  ...runtimeEnvironment(settings),
  ...origins,
});

describe("the echo-server reads the platform's one environment mapping", () => {
  test("every setting round-trips from app config through the container env into the server", () => {
    const settings = app({
      port: 8000,
      metricsPort: 9100,
      maxConnectionsPerPod: 500,
      heartbeatSeconds: 20,
      drain: { preStopSeconds: 15, windowSeconds: 120 },
      listenBacklog: 1024,
      maxBufferedBytesPerConnection: 524288,
    });
    const server = readSettings(containerEnv(settings));
    expect(server).toEqual({
      host: "0.0.0.0",
      port: 8000,
      metricsPort: 9100,
      livenessPath: "/livez",
      readinessPath: "/readyz",
      maxConnections: 500,
      heartbeatSeconds: 20,
      drainWindowSeconds: 120,
      shutdownDeadlineSeconds: 125,
      connectionLifetimeSeconds: 3600,
      allowedOrigins: new Set(["https://app.example"]),
      allowMissingOrigin: false,
      listenBacklog: 1024,
      maxBufferedBytes: 524288,
    });
    expect(readSettings(containerEnv(settings, originEnvironment({ allowedOrigins: "*", allowMissingOrigin: true })))).toMatchObject({
      allowedOrigins: "*",
      allowMissingOrigin: true,
    });
  });

  test("the server's shutdown deadline is the grace period left after the preStop wait", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 120 }), fc.integer({ min: 1, max: 3600 }), (preStopSeconds, windowSeconds) => {
        const settings = app({ drain: { preStopSeconds, windowSeconds } });
        const env = runtimeEnvironment(settings);
        const timeline = drainTimeline(settings);
        expect(Number(env[runtimeEnvironmentNames.shutdownDeadlineSeconds]) + preStopSeconds).toBe(timeline.terminationGracePeriodSeconds);
        expect(Number(env[runtimeEnvironmentNames.drainWindowSeconds])).toBe(windowSeconds);
      }),
    );
  });

  test("missing or invalid variables are all reported at once, by name", () => {
    const n = runtimeEnvironmentNames;
    const broken: Record<string, string | undefined> = {
      ...containerEnv(),
      [n.heartbeatSeconds]: "soon",
      [n.readinessPath]: "readyz",
      [n.allowMissingOrigin]: "yes",
      [n.maxBufferedBytes]: "65536",
      [n.drainWindowSeconds]: undefined,
      [n.allowedOrigins]: undefined,
    };
    expect(() => readSettings(broken)).toThrow(SettingsError);
    expect(() => readSettings(broken)).toThrow(
      'echo-server settings: READINESS_PATH="readyz" is not an absolute path; HEARTBEAT_INTERVAL_SECONDS="soon" is not an integer ≥ 1; DRAIN_WINDOW_SECONDS is not set; ALLOWED_ORIGINS is not set (comma-separated origins, or * for any); ALLOW_MISSING_ORIGIN="yes" is not true or false; MAX_BUFFERED_BYTES="65536" is not an integer ≥ 131072',
    );
  });

  test("an origin list with entries that are not origins is refused, naming them; blanks between commas are ignored", () => {
    const env = { ...containerEnv(), [runtimeEnvironmentNames.allowedOrigins]: "https://app.example, ,https://app.example/,null" };
    expect(() => readSettings(env)).toThrow('ALLOWED_ORIGINS has "https://app.example/", "null", not scheme://host[:port] (or * alone)');
    const spaced = { ...containerEnv(), [runtimeEnvironmentNames.allowedOrigins]: " HTTPS://App.Example:443 , http://localhost:3000 " };
    expect(readSettings(spaced).allowedOrigins).toEqual(new Set(["https://app.example", "http://localhost:3000"]));
  });

  test("a deadline not later than the drain window is refused", () => {
    const env = { ...containerEnv(), [runtimeEnvironmentNames.shutdownDeadlineSeconds]: "30" };
    expect(() => readSettings(env)).toThrow("SHUTDOWN_DEADLINE_SECONDS (30) must be greater than DRAIN_WINDOW_SECONDS (30)");
  });
});

describe("drain plan", () => {
  test("closes are spread evenly over the window and everything ends before SIGKILL", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 1, max: 3600 }), fc.integer({ min: 1, max: 60 }), (n, window, margin) => {
        const plan = drainPlan(n, window, window + margin);
        const slot = (window * 1000) / Math.max(1, n);
        const gaps = plan.closeAt.slice(1).map((at, k) => at - plan.closeAt[k]);
        expect(plan.closeAt).toHaveLength(n);
        // Ordered and even: no gap is negative or longer than one slot (plus rounding).
        expect(gaps.every((gap) => gap >= 0 && gap <= Math.ceil(slot))).toBe(true);
        if (n > 0) {
          expect(plan.closeAt[0]).toBe(0);
          expect(plan.closeAt[n - 1]).toBeLessThan(window * 1000);
        }
        expect(window * 1000 + plan.closeHandshakeMs).toBeLessThanOrEqual(plan.hardExitMs);
        expect(plan.hardExitMs).toBeLessThan((window + margin) * 1000);
      }),
    );
  });

  test("a deadline inside the window is a programming error", () => {
    expect(() => drainPlan(10, 30, 30)).toThrow(RangeError);
  });
});
