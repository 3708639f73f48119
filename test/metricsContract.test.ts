import * as fs from "fs";
import * as path from "path";
import { Counter, Gauge, Registry } from "prom-client";
import { contractMetricNames, metricLabelValues, webSocketMetrics } from "../components/metrics/contract";

const componentsDir = path.resolve(__dirname, "../components");

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(full) : e.name.endsWith(".ts") ? [full] : [];
  });
}

describe("the metrics contract", () => {
  test("names follow Prometheus conventions: unique, snake_case, counters and only counters end in _total", () => {
    expect(new Set(contractMetricNames).size).toBe(contractMetricNames.length);
    for (const metric of Object.values(webSocketMetrics)) {
      expect(metric.name).toMatch(/^websocket_[a-z_]+[a-z]$/);
      expect(metric.name.endsWith("_total")).toBe(metric.type === "counter");
      expect(metric.help.length).toBeGreaterThan(20);
    }
  });

  test("it covers what the platform needs: active connections, opened, messages, errors and the capacity", () => {
    expect(webSocketMetrics.activeConnections).toMatchObject({ type: "gauge", labels: [] });
    expect(webSocketMetrics.connectionCapacity).toMatchObject({ type: "gauge", labels: [] });
    expect(webSocketMetrics.connectionsOpened.type).toBe("counter");
    expect(webSocketMetrics.messages.labels).toEqual(["direction"]);
    expect(webSocketMetrics.errors.labels).toEqual(["kind"]);
    for (const metric of Object.values(webSocketMetrics)) {
      for (const label of metric.labels) expect(Object.keys(metricLabelValues)).toContain(label);
    }
  });

  test("a Node app registers every metric with prom-client straight from the contract and exposes the promised text", async () => {
    const registry = new Registry();
    for (const metric of Object.values(webSocketMetrics)) {
      const config = { name: metric.name, help: metric.help, labelNames: [...metric.labels], registers: [registry] };
      if (metric.type === "counter") new Counter(config);
      else new Gauge(config);
    }
    (registry.getSingleMetric(webSocketMetrics.messages.name) as Counter).inc({ direction: metricLabelValues.direction[0] });
    const text = await registry.metrics();
    for (const metric of Object.values(webSocketMetrics)) {
      expect(text).toContain(`# TYPE ${metric.name} ${metric.type}\n`);
      expect(text).toContain(`# HELP ${metric.name} ${metric.help}\n`);
    }
    expect(text).toContain('websocket_messages_total{direction="received"} 1');
  });

  test("the module imports nothing, so a plain Node app can load it without Pulumi", () => {
    const source = fs.readFileSync(path.join(componentsDir, "metrics", "contract.ts"), "utf8");
    expect(source).not.toMatch(/^\s*import\s|\brequire\(/m);
  });

  test("no other source file spells a contract metric name: they all take it from the contract", () => {
    const offenders = sourceFiles(componentsDir)
      .filter((f) => !f.endsWith(path.join("metrics", "contract.ts")))
      .filter((f) => contractMetricNames.some((name) => fs.readFileSync(f, "utf8").includes(name)))
      .map((f) => path.relative(componentsDir, f));
    expect(offenders).toEqual([]);
  });
});
