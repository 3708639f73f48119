import { isConfigError } from "../components/config/configError";
import { contractMetricNames, webSocketMetrics } from "../components/metrics/contract";
import { kubeStateMetrics } from "../components/metrics/queries";
import { dashboardUid } from "../components/monitoring/dashboard";
import { WebSocketMonitoring, WebSocketMonitoringArgs, dashboardFileName } from "../components/monitoring/monitoring";
import { WebSocketPlatform } from "../components/platform";
import { kubernetesObjects } from "../tools/kubernetesObjects";
import { ProgramRun, runProgram, settleProgram } from "../tools/mockRunner";
import { parsePromQL } from "./support/promql";
import { objectsOf, oneObject } from "./support/render";
import { validateObjects } from "./support/schemas";

const knownMetricNames = new Set([...contractMetricNames, ...Object.values(kubeStateMetrics)]);

const base: WebSocketMonitoringArgs = {
  namespace: "realtime",
  serviceName: "chat",
  deploymentName: "chat",
  serviceLabels: { "app.kubernetes.io/name": "chat", "app.kubernetes.io/instance": "chat" },
};

function renderMonitoring(args: Partial<WebSocketMonitoringArgs> = {}) {
  return runProgram(() => new WebSocketMonitoring("mon", { ...base, ...args }), { stack: "test", config: {} });
}

function platform(config: Record<string, unknown>) {
  return runProgram(
    () =>
      new WebSocketPlatform("chat", {
        environment: "prod",
        app: { name: "chat", image: "ghcr.io/acme/chat:1.4.2" },
        ingress: { hosts: ["ws.example.com"] },
        tls: { email: "ops@example.org" },
        ...config,
      }),
    { stack: "test", config: {} },
  );
}

const rulesOf = (run: ProgramRun) => (oneObject(run, "PrometheusRule").spec as any).groups.flatMap((g: any) => g.rules);
const dashboardOf = (run: ProgramRun) => JSON.parse(Object.values(oneObject(run, "ConfigMap").data as Record<string, string>)[0]);
const dashboardExprs = (model: any): string[] => model.panels.flatMap((p: any) => (p.targets ?? []).map((t: any) => t.expr));

/** Every expression parses, and every metric it reads is the contract's or kube-state-metrics'. */
function expectValidPromQL(exprs: string[]) {
  expect(exprs.length).toBeGreaterThan(0);
  for (const expr of exprs) {
    const parsed = parsePromQL(expr);
    expect({ expr, errors: parsed.errors }).toEqual({ expr, errors: [] });
    for (const name of parsed.metricNames) expect({ expr, name, known: knownMetricNames.has(name) }).toEqual({ expr, name, known: true });
  }
}

describe("WebSocketMonitoring", () => {
  test("ServiceMonitor scrapes the Service's metrics port at the contract's path, selected by the Prometheus labels", async () => {
    const run = await renderMonitoring({ prometheusLabels: { release: "monitoring" }, scrapeInterval: "15s" });
    const sm = oneObject(run, "ServiceMonitor");
    expect(sm.metadata).toMatchObject({ name: "chat", namespace: "realtime", labels: { release: "monitoring" } });
    expect(sm.spec).toEqual({
      selector: { matchLabels: base.serviceLabels },
      endpoints: [{ port: "metrics", path: "/metrics", interval: "15s", scheme: "http" }],
    });
    expect(oneObject(run, "PrometheusRule").metadata.labels).toMatchObject({ release: "monitoring" });
  });

  test("by default the labels are kube-prometheus-stack's: release=kube-prometheus-stack, grafana_dashboard=1", async () => {
    const run = await renderMonitoring();
    expect(oneObject(run, "ServiceMonitor").metadata.labels!.release).toBe("kube-prometheus-stack");
    expect(oneObject(run, "ConfigMap").metadata.labels!.grafana_dashboard).toBe("1");
  });

  test("alerts: the four app alerts, each with severity, summary, description and a runbook line", async () => {
    const rules = rulesOf(await renderMonitoring({ alerts: { labels: { team: "realtime" } } }));
    expect(rules.map((r: any) => r.alert)).toEqual([
      "WebSocketNoReadyPods",
      "WebSocketHighErrorRate",
      "WebSocketPodNearCapacity",
      "WebSocketDisconnectSpikeAfterRollout",
    ]);
    for (const rule of rules) {
      expect(rule.labels).toMatchObject({ team: "realtime", severity: expect.stringMatching(/^(critical|warning)$/) });
      expect(rule.annotations.summary.length).toBeGreaterThan(20);
      expect(rule.annotations.runbook.length).toBeGreaterThan(20);
      expect(rule.for).toMatch(/^\d+m$/);
    }
    expect(rules[0].labels.severity).toBe("critical");
  });

  test("alert thresholds come from config", async () => {
    const rules = rulesOf(await renderMonitoring({ alerts: { capacityPercent: 90, errorPercent: 2, disconnectSpikeFactor: 4 } }));
    const byName = Object.fromEntries(rules.map((r: any) => [r.alert, r.expr]));
    expect(byName.WebSocketPodNearCapacity).toMatch(/ > 0\.9$/);
    expect(byName.WebSocketHighErrorRate).toMatch(/ > 0\.02$/);
    expect(byName.WebSocketDisconnectSpikeAfterRollout).toContain("> 4 * clamp_min(");
    expect(byName.WebSocketPodNearCapacity).toContain(`${webSocketMetrics.connectionCapacity.name}{namespace="realtime",service="chat"}`);
  });

  test("the autoscaler-at-max alert and the scaling panels exist only with an autoscaler", async () => {
    const without = await renderMonitoring();
    expect(rulesOf(without).map((r: any) => r.alert)).not.toContain("WebSocketAutoscalerAtMax");
    const withHpa = await renderMonitoring({ hpaName: "chat", targetConnectionsPerPod: 800 });
    const atMax = rulesOf(withHpa).find((r: any) => r.alert === "WebSocketAutoscalerAtMax");
    expect(atMax.expr).toBe(
      'max(kube_horizontalpodautoscaler_status_current_replicas{namespace="realtime",horizontalpodautoscaler="chat"}) >= max(kube_horizontalpodautoscaler_spec_max_replicas{namespace="realtime",horizontalpodautoscaler="chat"})',
    );
    expect(dashboardExprs(dashboardOf(withHpa))).toEqual(expect.arrayContaining(["vector(800)", expect.stringContaining("status_desired_replicas")]));
    expect(dashboardExprs(dashboardOf(without)).some((e) => e.includes("horizontalpodautoscaler"))).toBe(false);
  });

  test("every alert expression parses and reads only contract or kube-state-metrics series", async () => {
    expectValidPromQL(rulesOf(await renderMonitoring({ hpaName: "chat" })).map((r: any) => r.expr));
  });

  test("dashboard: a Grafana dashboard model (not an API payload), sidecar-labelled, with the promised panels", async () => {
    const run = await renderMonitoring({ dashboard: { annotations: { grafana_folder: "Realtime" } } });
    const cm = oneObject(run, "ConfigMap");
    expect(cm.metadata).toMatchObject({ name: "chat-dashboard", namespace: "realtime", annotations: { grafana_folder: "Realtime" } });
    expect(Object.keys(cm.data as object)).toEqual([dashboardFileName({ namespace: "realtime", service: "chat" })]);
    const model = dashboardOf(run);
    expect(model.dashboard).toBeUndefined();
    expect(model).toMatchObject({ title: "WebSocket: realtime/chat", uid: "ws-realtime-chat", schemaVersion: expect.any(Number) });
    expect(model.templating.list[0]).toMatchObject({ type: "datasource", name: "datasource", query: "prometheus" });
    const titles = model.panels.filter((p: any) => p.type !== "row").map((p: any) => p.title);
    expect(titles).toEqual([
      "Active connections",
      "Capacity used",
      "Ready pods",
      "Errors per second",
      "Connections opened and closed",
      "Connections per pod against capacity",
      "Messages per second",
      "Errors per second",
      "Replicas",
    ]);
    for (const panel of model.panels.filter((p: any) => p.type !== "row")) expect(panel.datasource).toEqual({ type: "prometheus", uid: "${datasource}" });
  });

  test("every dashboard target is, to the byte, what the Grafana SDK's Prometheus query builder makes of its fields", async () => {
    const { DataqueryBuilder } = await import("@grafana/grafana-foundation-sdk/prometheus");
    const targets = dashboardOf(await renderMonitoring({ hpaName: "chat", targetConnectionsPerPod: 800 })).panels.flatMap((p: any) => p.targets ?? []);
    expect(targets.length).toBeGreaterThanOrEqual(13);
    for (const target of targets) {
      const built = new DataqueryBuilder().expr(target.expr).legendFormat(target.legendFormat).refId(target.refId).datasource(target.datasource).build();
      expect(JSON.stringify(target)).toBe(JSON.stringify(built));
    }
  });

  test("every dashboard expression parses and reads only contract or kube-state-metrics series", async () => {
    const exprs = dashboardExprs(dashboardOf(await renderMonitoring({ hpaName: "chat", targetConnectionsPerPod: 800 })));
    expect(exprs.filter((e) => e.includes("$__rate_interval")).length).toBeGreaterThanOrEqual(4);
    expectValidPromQL(exprs);
  });

  test("dashboard uids stay within Grafana's 40 characters and stay distinct", () => {
    const a = dashboardUid({ namespace: "a".repeat(40), service: "chat" });
    const b = dashboardUid({ namespace: "a".repeat(40), service: "chat2" });
    expect(a.length).toBeLessThanOrEqual(40);
    expect(a).not.toBe(b);
  });

  test("two apps' dashboards in Grafana's namespace collide neither in ConfigMap name nor in the sidecar's file name", async () => {
    // The sidecar writes every data key into one folder (kiwigrid/k8s-sidecar#72): a shared key would overwrite dashboards.
    const dashboardIn = async (namespace: string) =>
      oneObject(await renderMonitoring({ namespace, dashboard: { namespace: "grafana" } }), "ConfigMap");
    const [staging, prod] = [await dashboardIn("chat-staging"), await dashboardIn("chat-prod")];
    expect(staging.metadata!.name).toBe("chat-staging-chat-dashboard");
    expect(prod.metadata!.name).toBe("chat-prod-chat-dashboard");
    expect(Object.keys(staging.data!)).toEqual(["ws-chat-staging-chat.json"]);
    expect(Object.keys(prod.data!)).toEqual(["ws-chat-prod-chat.json"]);
  });

  test("alerts and dashboard can be turned off on their own; the dashboard can live in Grafana's namespace", async () => {
    const run = await renderMonitoring({ alerts: { enabled: false }, dashboard: { namespace: "grafana" } });
    expect(objectsOf(run, "PrometheusRule")).toEqual([]);
    expect(oneObject(run, "ConfigMap").metadata.namespace).toBe("grafana");
    const none = await renderMonitoring({ dashboard: { enabled: false } });
    expect(objectsOf(none, "ConfigMap")).toEqual([]);
  });

  test("bad args fail before anything is registered, naming the key", async () => {
    const run = await settleProgram(
      () => new WebSocketMonitoring("mon", { ...base, scrapeInterval: "soon", alerts: { capacityPercent: 0 } }),
      { stack: "test", config: {} },
    );
    expect(isConfigError(run.error)).toBe(true);
    expect((run.error as Error).message).toContain('WebSocketMonitoring args.scrapeInterval: got "soon"');
    expect((run.error as Error).message).toContain("WebSocketMonitoring args.alerts.capacityPercent: got 0; allowed: at least 1");
    expect(run.resources.map((r) => r.type)).toEqual(["pulumi:pulumi:Stack"]);
  });

  test("every object passes the upstream schemas (ServiceMonitor and PrometheusRule strict CRD schemas)", async () => {
    const objects = kubernetesObjects((await renderMonitoring({ hpaName: "chat" })).resources);
    expect(objects.map((o) => o.kind).sort()).toEqual(["ConfigMap", "PrometheusRule", "ServiceMonitor"]);
    expect(validateObjects(objects)).toEqual([]);
  });
});

describe("monitoring in the platform", () => {
  test("the ServiceMonitor selects the app's Service by labels the Service carries, on a port the Service names", async () => {
    const run = await platform({});
    const service = oneObject(run, "Service");
    const sm = oneObject(run, "ServiceMonitor").spec as any;
    expect(service.metadata.labels).toMatchObject(sm.selector.matchLabels);
    expect((service.spec as any).ports.map((p: any) => p.name)).toContain(sm.endpoints[0].port);
    expect(sm.endpoints[0].port).toBe("metrics");
  });

  test("monitoring.enabled=false creates none of it", async () => {
    const run = await platform({ monitoring: { enabled: false } });
    expect(kubernetesObjects(run.resources).map((o) => o.kind)).not.toEqual(expect.arrayContaining(["ServiceMonitor"]));
    expect(objectsOf(run, "PrometheusRule")).toEqual([]);
  });
});
