import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { WebSocketAutoscaler } from "../components/autoscaling/autoscaler";
import { prometheusUrlValues } from "../components/autoscaling/prometheusAdapter";
import { isConfigError } from "../components/config/configError";
import { stackConfigKeys } from "../components/config/parse";
import { resolvePlatformConfig } from "../components/config/resolve";
import { contractMetricNames, webSocketMetrics } from "../components/metrics/contract";
import { WebSocketPlatform } from "../components/platform";
import { helmReleases, kubernetesObjects } from "../tools/kubernetesObjects";
import { ProgramRun, runProgram, settleProgram } from "../tools/mockRunner";
import { parsePromQL } from "./support/promql";
import { objectsOf, oneObject } from "./support/render";
import { sharedDir, validateObjects } from "./support/schemas";

function platform(autoscaling: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return runProgram(
    () =>
      new WebSocketPlatform("chat", {
        environment: "prod",
        namespace: "realtime",
        app: { name: "chat", image: "ghcr.io/acme/chat:1.4.2" },
        ingress: { hosts: ["ws.example.com"] },
        tls: { email: "ops@example.org" },
        autoscaling: { enabled: true, ...autoscaling },
        ...extra,
      }),
    { stack: "test", config: {} },
  );
}

async function configErrorOf(autoscaling: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<string> {
  const run = await settleProgram(
    () =>
      new WebSocketPlatform("chat", {
        environment: "prod",
        app: { image: "ghcr.io/acme/chat:1.4.2" },
        ingress: { hosts: ["ws.example.com"] },
        tls: { email: "ops@example.org" },
        autoscaling: { enabled: true, ...autoscaling } as never,
        ...extra,
      }),
    { stack: "test", config: {} },
  );
  expect(isConfigError(run.error)).toBe(true);
  expect(kubernetesObjects(run.resources)).toEqual([]);
  return (run.error as Error).message;
}

/** Every dotted key path of a values object, down to its leaves (arrays and empty objects are leaves). */
function leafPaths(values: Record<string, unknown>, prefix = ""): string[] {
  return Object.entries(values).flatMap(([k, v]) =>
    v !== null && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length > 0
      ? leafPaths(v as Record<string, unknown>, `${prefix}${k}.`)
      : [`${prefix}${k}`],
  );
}

const valueAt = (root: unknown, keyPath: string) =>
  keyPath.split(".").reduce<unknown>((node, k) => (node && typeof node === "object" ? (node as Record<string, unknown>)[k] : undefined), root);

const kedaFixture = JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", "keda-2.20.2-values.json"), "utf8")) as {
  values: Record<string, unknown>;
};
const adapterUpstreamValues = YAML.parse(
  fs.readFileSync(path.join(sharedDir, "upstream", "charts", "prometheus-adapter", "5.3.0", "values.yaml"), "utf8"),
);

/** The autoscaling engine's release (the controller and cert-manager have their own). */
const releaseOf = (run: ProgramRun) => {
  const releases = helmReleases(run.resources).filter((r) => r.parent?.startsWith("websocket-platform:index:WebSocketCluster::"));
  expect(releases).toHaveLength(1);
  return releases[0];
};

describe("autoscaling with KEDA (the default engine)", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await platform({ prometheusUrl: "http://prometheus-operated.monitoring.svc:9090" });
  });

  test("KEDA is installed from its official chart, pinned, into a restricted namespace", () => {
    const release = releaseOf(run);
    expect(release.inputs).toMatchObject({
      name: "keda",
      chart: "keda",
      version: "2.20.2",
      repositoryOpts: { repo: "https://kedacore.github.io/charts" },
      namespace: "keda",
      values: { crds: { install: true } },
    });
    expect(oneObject(run, "Namespace", "keda").metadata.labels!["pod-security.kubernetes.io/enforce"]).toBe("restricted");
  });

  test("every KEDA value we set is a key of the chart's values.yaml at the pinned version (fixture)", () => {
    const paths = leafPaths(releaseOf(run).inputs.values);
    expect(paths.length).toBeGreaterThan(0);
    for (const p of paths) expect({ p, known: p in kedaFixture.values }).toEqual({ p, known: true });
  });

  test("ScaledObject: Prometheus trigger on the total of open connections per pod target, plus CPU; min/max from config", () => {
    const so = oneObject(run, "ScaledObject");
    expect(so.metadata).toMatchObject({ name: "chat", namespace: "realtime" });
    const spec = so.spec as any;
    expect(spec.scaleTargetRef).toEqual({ apiVersion: "apps/v1", kind: "Deployment", name: "chat" });
    expect([spec.minReplicaCount, spec.maxReplicaCount]).toEqual([3, 20]);
    expect(spec.triggers).toEqual([
      {
        type: "prometheus",
        name: "active-connections",
        metricType: "AverageValue",
        metadata: {
          serverAddress: "http://prometheus-operated.monitoring.svc:9090",
          query: `sum(${webSocketMetrics.activeConnections.name}{namespace="realtime",service="chat"})`,
          threshold: "1000",
        },
      },
      { type: "cpu", name: "cpu", metricType: "Utilization", metadata: { value: "70" } },
    ]);
  });

  test("the trigger query parses and reads only the contract's active-connections series", () => {
    const query = (oneObject(run, "ScaledObject").spec as any).triggers[0].metadata.query;
    expect(parsePromQL(query)).toEqual({ errors: [], metricNames: [webSocketMetrics.activeConnections.name] });
  });

  test("KEDA owns the HPA: we name it and set its behavior, and create no HPA ourselves", () => {
    const hpaConfig = (oneObject(run, "ScaledObject").spec as any).advanced.horizontalPodAutoscalerConfig;
    expect(hpaConfig.name).toBe("chat");
    expect(hpaConfig.behavior.scaleUp).toMatchObject({ stabilizationWindowSeconds: 0, selectPolicy: "Max" });
    expect(hpaConfig.behavior.scaleDown).toMatchObject({ stabilizationWindowSeconds: 300, selectPolicy: "Min" });
    expect(objectsOf(run, "HorizontalPodAutoscaler")).toEqual([]);
  });

  test("the ScaledObject waits for the KEDA release (its CRDs come with it)", () => {
    const so = run.resources.find((r) => r.type === "kubernetes:keda.sh/v1alpha1:ScaledObject")!;
    expect(so.dependsOn).toEqual([releaseOf(run).key]);
  });

  test("the Deployment leaves spec.replicas to the autoscaler, so a later pulumi up does not reset it", () => {
    expect("replicas" in (oneObject(run, "Deployment").spec as object)).toBe(false);
  });

  test("the at-max alert watches the HPA KEDA creates", () => {
    const rules = (oneObject(run, "PrometheusRule").spec as any).groups[0].rules;
    expect(rules.find((r: any) => r.alert === "WebSocketAutoscalerAtMax").expr).toContain('horizontalpodautoscaler="chat"');
  });

  test("every object passes the upstream schemas (ScaledObject: strict KEDA CRD schema)", () => {
    expect(validateObjects(kubernetesObjects(run.resources))).toEqual([]);
  });

  test("memory is a trigger only when asked", async () => {
    const withMemory = await platform({ memoryUtilization: 80 });
    expect((oneObject(withMemory, "ScaledObject").spec as any).triggers.map((t: any) => t.type)).toEqual(["prometheus", "cpu", "memory"]);
    expect((oneObject(run, "ScaledObject").spec as any).triggers.map((t: any) => t.type)).not.toContain("memory");
  });

  test("install: false uses the cluster's KEDA: no release, no namespace, no dependency", async () => {
    const existing = await platform({ install: false });
    expect(helmReleases(existing.resources).map((r) => r.inputs.name)).not.toContain("keda");
    expect(objectsOf(existing, "Namespace").map((n) => n.metadata.name)).not.toContain("keda");
    expect(existing.resources.find((r) => r.type === "kubernetes:keda.sh/v1alpha1:ScaledObject")!.dependsOn).toEqual([]);
  });
});

describe("autoscaling with prometheus-adapter", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await platform({ engine: "prometheus-adapter", prometheusUrl: "http://prometheus.monitoring.svc:9090/prom/", targetConnectionsPerPod: 800 });
  });

  test("the adapter comes from its official chart, pinned, with only our rule and the Prometheus URL from config", () => {
    const release = releaseOf(run);
    expect(release.inputs).toMatchObject({
      name: "prometheus-adapter",
      chart: "prometheus-adapter",
      version: "5.3.0",
      repositoryOpts: { repo: "https://prometheus-community.github.io/helm-charts" },
      namespace: "prometheus-adapter",
    });
    const values = release.inputs.values;
    expect(values.prometheus).toEqual({ url: "http://prometheus.monitoring.svc", port: 9090, path: "/prom" });
    expect(values.rules.default).toBe(false);
    expect(values.certManager).toEqual({ enabled: true });
    expect(values.rules.custom).toEqual([
      {
        seriesQuery: 'websocket_connections_active{namespace!="",pod!=""}',
        resources: { overrides: { namespace: { resource: "namespace" }, pod: { resource: "pod" } } },
        name: { matches: "^websocket_connections_active$", as: "websocket_connections_active" },
        metricsQuery: "sum by (<<.GroupBy>>) (avg_over_time(<<.Series>>{<<.LabelMatchers>>}[1m]))",
      },
    ]);
  });

  test("every adapter value we set is a key of the chart's values.yaml (5.3.0, shared upstream copy)", () => {
    for (const p of leafPaths(releaseOf(run).inputs.values)) {
      expect({ p, known: valueAt(adapterUpstreamValues, p) !== undefined }).toEqual({ p, known: true });
    }
  });

  test("the rule's series query and metrics query parse, read the contract's series, and aggregate by the adapter's GroupBy", () => {
    const rule = releaseOf(run).inputs.values.rules.custom[0];
    for (const expr of [rule.seriesQuery, rule.metricsQuery]) {
      const parsed = parsePromQL(expr);
      expect(parsed.errors).toEqual([]);
      expect(parsed.metricNames.every((n) => contractMetricNames.includes(n))).toBe(true);
    }
    expect(rule.metricsQuery).toMatch(/^sum by \(<<\.GroupBy>>\)/);
  });

  test("an autoscaling/v2 HPA on CPU plus the per-pod connections metric; no memory unless asked", () => {
    const hpa = oneObject(run, "HorizontalPodAutoscaler");
    expect(hpa.apiVersion).toBe("autoscaling/v2");
    const spec = hpa.spec as any;
    expect(spec.scaleTargetRef).toEqual({ apiVersion: "apps/v1", kind: "Deployment", name: "chat" });
    expect([spec.minReplicas, spec.maxReplicas]).toEqual([3, 20]);
    expect(spec.metrics).toEqual([
      { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } },
      { type: "Pods", pods: { metric: { name: "websocket_connections_active" }, target: { type: "AverageValue", averageValue: "800" } } },
    ]);
    expect(objectsOf(run, "ScaledObject")).toEqual([]);
  });

  test("fast up, slow down: the same behavior as under KEDA", async () => {
    const hpaBehavior = (oneObject(run, "HorizontalPodAutoscaler").spec as any).behavior;
    const keda = await platform({});
    expect(hpaBehavior).toEqual((oneObject(keda, "ScaledObject").spec as any).advanced.horizontalPodAutoscalerConfig.behavior);
    expect(hpaBehavior.scaleDown.policies).toEqual([
      { type: "Percent", value: 10, periodSeconds: 60 },
      { type: "Pods", value: 2, periodSeconds: 60 },
    ]);
  });

  test("memory joins the HPA when asked", async () => {
    const spec = oneObject(await platform({ engine: "prometheus-adapter", memoryUtilization: 75 }), "HorizontalPodAutoscaler").spec as any;
    expect(spec.metrics.map((m: any) => m.resource?.name ?? m.pods.metric.name)).toEqual(["cpu", "memory", "websocket_connections_active"]);
  });

  test("every object passes the upstream schemas", () => {
    expect(validateObjects(kubernetesObjects(run.resources))).toEqual([]);
  });
});

describe("autoscaling config", () => {
  test("off: replicas stay in the Deployment and nothing scales it", async () => {
    const run = await platform({ enabled: false });
    expect((oneObject(run, "Deployment").spec as any).replicas).toBe(3);
    expect(objectsOf(run, "ScaledObject")).toEqual([]);
    expect(objectsOf(run, "HorizontalPodAutoscaler")).toEqual([]);
  });

  const bad: [string, Record<string, unknown>, Record<string, unknown>, string][] = [
    ["a target of 0", { targetConnectionsPerPod: 0 }, {}, "websocket-platform:autoscaling.targetConnectionsPerPod: got 0; allowed: at least 1"],
    ["max below min", { minReplicas: 5, maxReplicas: 4 }, {}, "websocket-platform:autoscaling.maxReplicas: got 4; allowed: at least minReplicas (5)"],
    ["an unknown engine", { engine: "hpa" }, {}, 'websocket-platform:autoscaling.engine: got "hpa"; allowed: "keda", "prometheus-adapter"'],
    ["one replica in prod", { minReplicas: 1 }, {}, "websocket-platform:autoscaling.minReplicas: got 1; allowed: at least 2 outside dev (environment is prod)"],
    [
      "a target at the pod's capacity",
      { targetConnectionsPerPod: 500 },
      { app: { image: "ghcr.io/acme/chat:1.4.2", maxConnectionsPerPod: 500 } },
      "websocket-platform:autoscaling.targetConnectionsPerPod: got 500; allowed: below app.maxConnectionsPerPod (500)",
    ],
    ["a Prometheus URL that is not http(s)", { prometheusUrl: "prometheus:9090" }, {}, 'websocket-platform:autoscaling.prometheusUrl: got "prometheus:9090"'],
  ];

  test.each(bad)("%s fails at preview with the key, the value and what is allowed", (_, autoscaling, extra, expected) => {
    const raw = { environment: "prod", app: { image: "ghcr.io/acme/chat:1.4.2" }, ingress: { hosts: ["ws.example.com"] }, tls: { email: "ops@example.org" }, autoscaling: { enabled: true, ...autoscaling }, ...extra };
    let error: unknown;
    try {
      resolvePlatformConfig(raw, stackConfigKeys);
    } catch (e) {
      error = e;
    }
    expect(isConfigError(error)).toBe(true);
    expect((error as Error).message).toContain(expected);
  });

  test("WebSocketPlatform args errors name the args; one replica is fine in dev", async () => {
    expect(await configErrorOf({ maxReplicas: 0 })).toContain("WebSocketPlatform args.autoscaling.maxReplicas: got 0; allowed: at least 1");
    const dev = await platform({ minReplicas: 1 }, { environment: "dev" });
    expect((oneObject(dev, "ScaledObject").spec as any).minReplicaCount).toBe(1);
  });

  test("preview warns when nothing scrapes the connections series, and when the adapter engine is chosen", () => {
    const raw = (autoscaling: Record<string, unknown>, monitoring: Record<string, unknown>) => ({
      environment: "prod",
      app: { image: "ghcr.io/acme/chat:1.4.2" },
      ingress: { hosts: ["ws.example.com"] },
      tls: { email: "ops@example.org" },
      autoscaling: { enabled: true, ...autoscaling },
      monitoring,
    });
    expect(resolvePlatformConfig(raw({}, {}), stackConfigKeys).warnings).toEqual([]);
    const unscraped = resolvePlatformConfig(raw({}, { enabled: false }), stackConfigKeys).warnings;
    expect(unscraped).toEqual([expect.stringContaining("scales on CPU alone")]);
    const adapter = resolvePlatformConfig(raw({ engine: "prometheus-adapter" }, {}), stackConfigKeys).warnings;
    expect(adapter).toEqual([expect.stringContaining("kubernetes-sigs/prometheus-adapter#701")]);
    const withoutTls = { ...raw({ engine: "prometheus-adapter" }, {}), environment: "dev", tls: { enabled: false } };
    expect(resolvePlatformConfig(withoutTls, stackConfigKeys).warnings).toEqual([
      expect.stringContaining("#701"),
      expect.stringContaining("needs cert-manager for the custom-metrics APIService certificate"),
    ]);
  });

  test("the adapter release waits for the platform's cert-manager install (not its issuers); KEDA does not", async () => {
    const tlsKey = (run: ProgramRun) => run.resources.find((r) => r.type === "websocket-platform:index:CertManager")!.key;
    const adapter = await platform({ engine: "prometheus-adapter", prometheusUrl: "http://prometheus-operated.monitoring.svc:9090" });
    expect(releaseOf(adapter).dependsOn).toContain(tlsKey(adapter));
    const keda = await platform({ prometheusUrl: "http://prometheus-operated.monitoring.svc:9090" });
    expect(releaseOf(keda).dependsOn).not.toContain(tlsKey(keda));
  });

  test("the Prometheus URL is split the way the adapter chart's --prometheus-url template joins it", () => {
    expect(prometheusUrlValues("http://kube-prometheus-stack-prometheus.monitoring.svc:9090")).toEqual({
      url: "http://kube-prometheus-stack-prometheus.monitoring.svc",
      port: 9090,
      path: "",
    });
    expect(prometheusUrlValues("https://thanos.example.com/api/")).toEqual({ url: "https://thanos.example.com", port: "", path: "/api" });
  });

  test("WebSocketAutoscaler on its own validates its args before registering anything", async () => {
    const run = await settleProgram(
      () => new WebSocketAutoscaler("as", { namespace: "x", deploymentName: "d", serviceName: "s", engine: "nope" as never }),
      { stack: "test", config: {} },
    );
    expect((run.error as Error).message).toContain('WebSocketAutoscaler args.engine: got "nope"');
    expect(run.resources.map((r) => r.type)).toEqual(["pulumi:pulumi:Stack"]);
  });
});
