import { helmReleases, kubernetesObjects, KubernetesObject } from "../tools/kubernetesObjects";
import { ProgramRun, runProgram, settleProgram } from "../tools/mockRunner";
import { validateObjects } from "./support/schemas";

// The example programs exactly as users run them: the cluster project, then the app project against its real outputs.
const clusterProgram = () => require("../examples/shared-cluster/cluster/index.ts")();
const appProgram = () => require("../examples/shared-cluster/app/index.ts")();
const multiAppProgram = () => require("../examples/multi-app/index.ts")();

const clusterStack = "acme/websocket-cluster/prod";
const appConfig = { "websocket-app:clusterStack": clusterStack, "websocket-app:host": "chat.example.com", "websocket-app:acmeEmail": "ops@example.com" };

const objects = (run: ProgramRun, kind?: string) => kubernetesObjects(run.resources).filter((o) => kind === undefined || o.kind === kind);
const releaseCharts = (run: ProgramRun) => helmReleases(run.resources).map((r) => String(r.inputs.chart));
const identity = (o: KubernetesObject) => `${o.apiVersion} ${o.kind} ${o.metadata.namespace ?? ""}/${o.metadata.name}`;

describe("two stacks: the cluster project and an app project joined by a StackReference", () => {
  let cluster: ProgramRun;
  let app: ProgramRun;
  beforeAll(async () => {
    cluster = await runProgram(clusterProgram, { project: "websocket-cluster", stack: "prod", config: {} });
    // What `pulumi stack output --json` would give: the outputs as the cluster run resolved them, serialised.
    const outputs = JSON.parse(JSON.stringify(cluster.outputs));
    app = await runProgram(appProgram, { project: "websocket-app", stack: "prod", config: appConfig, stackReferences: { [clusterStack]: outputs } });
  });

  test("the cluster installs the controller, cert-manager and KEDA once, and exports a plain reference", () => {
    expect(releaseCharts(cluster).sort()).toEqual(["keda", "oci://quay.io/jetstack/charts/cert-manager", "traefik"]);
    expect(cluster.outputs.reference).toMatchObject({
      controller: "traefik",
      routeApi: "native",
      className: "traefik",
      controllerNamespace: "traefik",
      controllerService: { name: "traefik", namespace: "traefik", httpPort: 80, httpsPort: 443 },
      certManager: { namespace: "cert-manager" },
      autoscalingEngine: "keda",
      maxConnectionLifetimeSeconds: 7200,
    });
    expect(objects(cluster, "Deployment")).toEqual([]);
    // Monitoring is on by default: cert-manager's chart renders its ServiceMonitor with kube-prometheus-stack's label.
    const certManager = helmReleases(cluster.resources).find((r) => r.inputs.name === "cert-manager")!;
    expect(certManager.inputs.values.prometheus).toEqual({ enabled: true, servicemonitor: { enabled: true, labels: { release: "kube-prometheus-stack" } } });
  });

  test("the app installs no chart and routes through the cluster's controller", () => {
    expect(releaseCharts(app)).toEqual([]);
    const route = objects(app, "IngressRoute").find((o) => o.metadata.name === "chat");
    expect(route?.metadata.namespace).toBe("chat");
    expect((route as any).spec.routes[0].match).toBe("Host(`chat.example.com`) && Header(`Origin`, `https://chat.example.com`)");
    expect(objects(app, "Certificate").map((c) => [c.metadata.namespace, (c as any).spec.dnsNames])).toEqual([["chat", ["chat.example.com"]]]);
    expect(objects(app, "ScaledObject").map((o) => o.metadata.namespace)).toEqual(["chat"]);
    expect(app.outputs.urls).toEqual(["wss://chat.example.com/"]);
  });

  test("the app's NetworkPolicies admit the cluster's controller pods, as the reference names them", () => {
    const ingressFrom = objects(app, "NetworkPolicy").flatMap((p) => ((p as any).spec.ingress ?? []).flatMap((rule: any) => rule.from ?? []));
    expect(ingressFrom).toContainEqual({
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "traefik" } },
      podSelector: { matchLabels: (cluster.outputs.reference as any).dataPlanePodLabels },
    });
  });

  test("every object of both stacks is strictly valid", () => {
    expect(validateObjects([...objects(cluster), ...objects(app)])).toEqual([]);
  });

  test("a wrong reference fails before anything is created, naming the field, the value and what is allowed", async () => {
    const outputs = JSON.parse(JSON.stringify(cluster.outputs));
    outputs.reference.controller = "envoy";
    delete outputs.reference.controllerNamespace;
    const run = await settleProgram(appProgram, { project: "websocket-app", stack: "prod", config: appConfig, stackReferences: { [clusterStack]: outputs } });
    const message = String((run.error as Error).message);
    expect(message).toContain('WebSocketService args.cluster.controller: got "envoy"; allowed: "nginx", "traefik", "haproxy", "nginx-gateway-fabric", "istio"');
    expect(message).toContain("WebSocketService args.cluster.controllerNamespace: got nothing (the key is missing)");
    expect(run.resources.filter((r) => r.type.startsWith("kubernetes:"))).toEqual([]);
  });

  test("an app that asks for more than the cluster runs is refused at preview", async () => {
    const outputs = JSON.parse(JSON.stringify(cluster.outputs));
    delete outputs.reference.autoscalingEngine;
    outputs.reference.maxConnectionLifetimeSeconds = 600;
    const run = await settleProgram(appProgram, { project: "websocket-app", stack: "prod", config: appConfig, stackReferences: { [clusterStack]: outputs } });
    const message = String((run.error as Error).message);
    expect(message).toContain("WebSocketService args.autoscaling.enabled: got true; allowed: false, or a cluster reference with an autoscalingEngine");
    expect(message).toContain("WebSocketService args.app.connectionLifetimeSeconds: got 3600; allowed: at most 600");
  });
});

describe("three apps on one controller in one program", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runProgram(multiAppProgram, { project: "websocket-apps", stack: "prod", config: {} });
  });

  test("one controller release, one cert-manager, one KEDA", () => {
    expect(releaseCharts(run).sort()).toEqual(["keda", "oci://ghcr.io/nginx/charts/nginx-gateway-fabric", "oci://quay.io/jetstack/charts/cert-manager"]);
  });

  test("one shared Gateway (one NGINX data plane), and per app a ListenerSet with its host and certificate", () => {
    const gateways = objects(run, "Gateway");
    expect(gateways.map(identity)).toEqual(["gateway.networking.k8s.io/v1 Gateway nginx-gateway/websocket-gateway"]);
    const listenerSets = objects(run, "ListenerSet") as any[];
    expect(listenerSets.map((l) => [l.metadata.namespace, l.spec.listeners.map((x: any) => [x.hostname, x.tls.certificateRefs[0].name])])).toEqual([
      ["chat", [["chat.example.com", "chat-tls"]]],
      ["feed", [["feed.example.com", "feed-tls"]]],
      ["presence", [["presence.example.com", "presence-tls"]]],
    ]);
    // Each app namespace carries the label the shared Gateway admits ListenerSets and routes from.
    const labelled = objects(run, "Namespace").filter((n) => n.metadata.labels?.["websocket-platform/gateway"] === "websocket-gateway");
    expect(labelled.map((n) => n.metadata.name).sort()).toEqual(["chat", "feed", "presence"]);
  });

  test("three routes, certificates, NetworkPolicy sets and dashboards, each in its app's namespace", () => {
    const byNamespace = (kind: string) => [...new Set(objects(run, kind).map((o) => o.metadata.namespace))].sort();
    for (const kind of ["HTTPRoute", "Certificate", "NetworkPolicy", "ScaledObject", "ServiceMonitor", "PrometheusRule"]) {
      expect([kind, byNamespace(kind)]).toEqual([kind, ["chat", "feed", "presence"]]);
    }
    const dashboards = objects(run, "ConfigMap").filter((c) => c.metadata.labels?.grafana_dashboard !== undefined);
    expect(dashboards).toHaveLength(3);
  });

  test("no two objects share a kind, namespace and name", () => {
    const all = objects(run).map(identity);
    expect(all.filter((id, i) => all.indexOf(id) !== i)).toEqual([]);
  });

  test("NGF's chart has no ServiceMonitor: a PodMonitor scrapes its control plane's metrics port, with kube-prometheus-stack's label", () => {
    expect(objects(run, "PodMonitor").map((p) => [identity(p), p.metadata.labels, (p as any).spec])).toEqual([
      [
        "monitoring.coreos.com/v1 PodMonitor nginx-gateway/nginx-gateway-fabric-metrics",
        { release: "kube-prometheus-stack" },
        {
          selector: { matchLabels: { "app.kubernetes.io/name": "nginx-gateway-fabric", "app.kubernetes.io/instance": "nginx-gateway-fabric" } },
          podMetricsEndpoints: [{ port: "metrics", path: "/metrics" }],
        },
      ],
    ]);
  });

  test("every object is strictly valid", () => {
    expect(validateObjects(objects(run))).toEqual([]);
  });
});
