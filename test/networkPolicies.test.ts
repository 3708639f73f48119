import { PlatformArgs } from "../components/config/schema/platform";
import { AppNetworkPolicies } from "../components/network/networkPolicies";
import { networkPolicySchema } from "../components/config/schema/networkPolicy";
import { runProgram, ProgramRun } from "../tools/mockRunner";
import { objectsOf, oneObject, renderPlatformArgs } from "./support/render";
import { validateObjects } from "./support/schemas";
import { kubernetesObjects } from "../tools/kubernetesObjects";
import { Cluster, ClusterPod, Endpoint, NetworkPolicyObject, connectionAllowed } from "./support/networkPolicyEvaluator";
import { nonIstioController } from "./support/nonIstioController";
import { IngressControllerName } from "../components/config/schema/ingress";
import { resolvePlatformConfig } from "../components/config/resolve";
import { stackConfigKeys } from "../components/config/parse";
import { appControllerInstall } from "./support/controllerInstall";

const appNamespace = "websocket";

function platformArgs(mesh: PlatformArgs["mesh"], extra: Partial<PlatformArgs> = {}, controller: IngressControllerName = "istio"): PlatformArgs {
  return {
    environment: "prod",
    namespace: appNamespace,
    app: { name: "chat", image: "ghcr.io/acme/chat:1.4.2" },
    ingress: { controller, hosts: ["ws.example.com"] },
    tls: { email: "ops@example.org" },
    mesh,
    networkPolicy: {
      extraEgress: [{ name: "redis", namespace: "redis", podLabels: { app: "redis" }, ports: [{ port: 6379 }] }],
    },
    ...extra,
  };
}

async function render(args: PlatformArgs): Promise<ProgramRun> {
  return renderPlatformArgs("ws", args);
}

/** The app pod as the rendered Deployment describes it: its labels and named ports. */
function appPod(run: ProgramRun): ClusterPod {
  const template = (oneObject(run, "Deployment").spec as any).template;
  const namedPorts = Object.fromEntries(template.spec.containers[0].ports.map((p: any) => [p.name, p.containerPort]));
  return { namespace: appNamespace, labels: template.metadata.labels, ip: "10.1.0.10", namedPorts };
}

const pod = (namespace: string, labels: Record<string, string>, ip: string): ClusterPod => ({ namespace, labels, ip });
/** Where the chosen controller's pods run, as its strategy reports it (ControllerInstall), not as the policies say. */
async function controllerPods(args: PlatformArgs): Promise<{ controller: ClusterPod; otherInControllerNs: ClusterPod }> {
  const settings = resolvePlatformConfig(args, stackConfigKeys).settings;
  let found: { namespace: string; podLabels: Record<string, string> } | undefined;
  await runProgram(() => void (found = appControllerInstall(settings)), { stack: "test", config: {} });
  return { controller: pod(found!.namespace, found!.podLabels, "10.2.0.1"), otherInControllerNs: pod(found!.namespace, { app: "debug" }, "10.2.0.2") };
}
const prometheus = pod("monitoring", { "app.kubernetes.io/name": "prometheus" }, "10.3.0.1");
const grafana = pod("monitoring", { "app.kubernetes.io/name": "grafana" }, "10.3.0.2");
const coredns = pod("kube-system", { "k8s-app": "kube-dns" }, "10.4.0.1");
const apiserverLike = pod("kube-system", { component: "metrics-server" }, "10.4.0.2");
const istiod = pod("istio-system", { app: "istiod" }, "10.5.0.1");
const linkerdDestination = pod("linkerd", { "linkerd.io/control-plane-ns": "linkerd", "linkerd.io/control-plane-component": "destination" }, "10.6.0.1");
const vizPrometheus = pod("linkerd-viz", { "linkerd.io/extension": "viz", component: "prometheus" }, "10.7.0.1");
const redis = pod("redis", { app: "redis" }, "10.8.0.1");
const redisAdmin = pod("redis", { app: "redis-admin" }, "10.8.0.2");
const neighbour = pod(appNamespace, { app: "debug" }, "10.1.0.99");
const attacker = pod("default", { app: "chat" }, "10.9.0.1");
const internet = { ip: "1.1.1.1" };
const ambientProbe = { ip: "169.254.7.127" };

const cluster: Cluster = {
  namespaces: ["websocket", "istio-ingress", "ingress-stub", "monitoring", "kube-system", "istio-system", "linkerd", "linkerd-viz", "redis", "default"].map(
    (name) => ({ name }),
  ),
};

type MeshCase = "none" | "istio-sidecar" | "istio-ambient" | "linkerd";
const meshCases: Record<MeshCase, PlatformArgs["mesh"]> = {
  none: { provider: "none" },
  "istio-sidecar": { provider: "istio" },
  "istio-ambient": { provider: "istio", istio: { mode: "ambient" } },
  linkerd: { provider: "linkerd" },
};

// [flow, from, to ("app" = the app pod), port, protocol, expected per mesh]. "app" is filled in from the render.
type Side = Endpoint | "app" | "controller" | "otherInControllerNs";
type Row = [string, Side, Side, number, "TCP" | "UDP", Record<MeshCase, boolean>];
const all = (allowed: boolean): Record<MeshCase, boolean> => ({ none: allowed, "istio-sidecar": allowed, "istio-ambient": allowed, linkerd: allowed });
const only = (...cases: MeshCase[]): Record<MeshCase, boolean> => ({
  none: cases.includes("none"),
  "istio-sidecar": cases.includes("istio-sidecar"),
  "istio-ambient": cases.includes("istio-ambient"),
  linkerd: cases.includes("linkerd"),
});

const flows: Row[] = [
  ["controller → app WebSocket port", "controller", "app", 8080, "TCP", all(true)],
  ["controller → app metrics port", "controller", "app", 9090, "TCP", all(false)],
  ["controller → app on another port", "controller", "app", 22, "TCP", all(false)],
  ["other pod in the controller namespace → app WebSocket port", "otherInControllerNs", "app", 8080, "TCP", all(false)],
  ["pod with the app's labels in another namespace → app", attacker, "app", 8080, "TCP", all(false)],
  ["neighbour in the app namespace → app", neighbour, "app", 8080, "TCP", all(false)],
  ["Prometheus → app metrics port", prometheus, "app", 9090, "TCP", all(true)],
  ["Prometheus → app WebSocket port", prometheus, "app", 8080, "TCP", all(false)],
  ["Grafana (monitoring namespace, not Prometheus) → metrics port", grafana, "app", 9090, "TCP", all(false)],
  ["app → cluster DNS over UDP", "app", coredns, 53, "UDP", all(true)],
  ["app → cluster DNS over TCP", "app", coredns, 53, "TCP", all(true)],
  ["app → another kube-system pod on 53", "app", apiserverLike, 53, "UDP", all(false)],
  ["app → internet", "app", internet, 443, "TCP", all(false)],
  ["app → Redis (configured extra egress)", "app", redis, 6379, "TCP", all(true)],
  ["app → another pod in the Redis namespace", "app", redisAdmin, 6379, "TCP", all(false)],
  ["app → Redis on another port", "app", redis, 6380, "TCP", all(false)],
  ["app → neighbour in its own namespace", "app", neighbour, 8080, "TCP", all(false)],
  ["app → istiod xDS", "app", istiod, 15012, "TCP", only("istio-sidecar")],
  ["app → Linkerd destination", "app", linkerdDestination, 8086, "TCP", only("linkerd")],
  ["app → Linkerd identity", "app", linkerdDestination, 8080, "TCP", only("linkerd")],
  ["controller proxy → app via Linkerd's inbound port", "controller", "app", 4143, "TCP", only("linkerd")],
  ["controller → app via HBONE", "controller", "app", 15008, "TCP", only("istio-ambient")],
  ["Prometheus → HBONE (not needed to scrape)", prometheus, "app", 15008, "TCP", all(false)],
  ["linkerd-viz Prometheus → proxy admin port", vizPrometheus, "app", 4191, "TCP", only("linkerd")],
  ["linkerd-viz Prometheus → app WebSocket port", vizPrometheus, "app", 8080, "TCP", all(false)],
  ["SNATed kubelet probe (ambient) → app port", ambientProbe, "app", 8080, "TCP", only("istio-ambient")],
  ["SNATed probe source → metrics port", ambientProbe, "app", 9090, "TCP", all(false)],
  ["Redis → app (egress rules open no ingress)", redis, "app", 8080, "TCP", all(false)],
];

describe.each(Object.keys(meshCases) as MeshCase[])("NetworkPolicies with mesh %s, evaluated against a table of flows", (meshCase) => {
  let run: ProgramRun;
  let policies: NetworkPolicyObject[];
  let named: Record<"app" | "controller" | "otherInControllerNs", ClusterPod>;
  beforeAll(async () => {
    // Linkerd cannot mesh the Istio gateway (a config error), so it runs behind another registered controller.
    const other = meshCase === "linkerd" ? nonIstioController() : undefined;
    try {
      const args = platformArgs(meshCases[meshCase], {}, other?.name ?? "istio");
      run = await render(args);
      policies = objectsOf(run, "NetworkPolicy") as unknown as NetworkPolicyObject[];
      named = { app: appPod(run), ...(await controllerPods(args)) };
    } finally {
      other?.restore();
    }
  });

  test.each(flows)("%s", (_, from, to, port, protocol, expected) => {
    const side = (s: Side): Endpoint => (typeof s === "string" ? named[s] : s);
    const conn = { from: side(from), to: side(to), port, protocol };
    expect(connectionAllowed(policies, cluster, conn)).toBe(expected[meshCase]);
  });

  test("default deny covers every pod of the app namespace, both directions", () => {
    const deny = policies.find((p) => p.metadata.name === "chat-default-deny")!;
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
  });

  test("every rendered policy passes the strict schema", () => {
    expect(validateObjects(kubernetesObjects(run.resources).filter((o) => o.kind === "NetworkPolicy"))).toEqual([]);
  });
});

describe("NetworkPolicies: switches and the component on its own", () => {
  test("networkPolicy.enabled false renders none; dev has them off by default", async () => {
    expect(objectsOf(await render(platformArgs({ provider: "none" }, { networkPolicy: { enabled: false } })), "NetworkPolicy")).toEqual([]);
    expect(objectsOf(await render(platformArgs({ provider: "none" }, { environment: "dev", networkPolicy: {} })), "NetworkPolicy")).toEqual([]);
  });

  test("AppNetworkPolicies on its own: another controller's pods reach the WebSocket port, a CIDR egress reaches a managed database", async () => {
    const run = await runProgram(
      () =>
        void new AppNetworkPolicies("rt", {
          namespace: "rt",
          appName: "feed",
          podSelector: { "app.kubernetes.io/name": "feed" },
          webSocketPort: 3000,
          metricsPort: 3001,
          controller: { namespace: "ingress-nginx", podLabels: { "app.kubernetes.io/name": "ingress-nginx" } },
          policy: networkPolicySchema.parse({
            monitoring: { namespace: "observability", podLabels: {} },
            externalEgress: [
              { name: "postgres", cidr: "10.20.0.0/16", ports: [{ port: 5432 }] },
              { name: "postgres", cidr: "192.168.7.0/24", ports: [{ port: 5433 }] },
            ],
          }),
        }),
      { stack: "test", config: {} },
    );
    const policies = objectsOf(run, "NetworkPolicy") as unknown as NetworkPolicyObject[];
    const feed = pod("rt", { "app.kubernetes.io/name": "feed" }, "10.1.1.1");
    const nginx = pod("ingress-nginx", { "app.kubernetes.io/name": "ingress-nginx" }, "10.2.2.2");
    const anyObservability = pod("observability", { app: "vmagent" }, "10.3.3.3");
    const world: Cluster = { namespaces: [{ name: "rt" }, { name: "ingress-nginx" }, { name: "observability" }] };
    expect(connectionAllowed(policies, world, { from: nginx, to: feed, port: 3000 })).toBe(true);
    expect(connectionAllowed(policies, world, { from: nginx, to: feed, port: 3001 })).toBe(false);
    expect(connectionAllowed(policies, world, { from: anyObservability, to: feed, port: 3001 })).toBe(true);
    expect(connectionAllowed(policies, world, { from: feed, to: { ip: "10.20.4.5" }, port: 5432 })).toBe(true);
    expect(connectionAllowed(policies, world, { from: feed, to: { ip: "10.21.4.5" }, port: 5432 })).toBe(false);
    // Entries sharing a name share one policy: the second range, on its own port only.
    expect(connectionAllowed(policies, world, { from: feed, to: { ip: "192.168.7.9" }, port: 5433 })).toBe(true);
    expect(connectionAllowed(policies, world, { from: feed, to: { ip: "192.168.7.9" }, port: 5432 })).toBe(false);
    expect(policies.map((p) => p.metadata.name).sort()).toEqual(
      ["feed-default-deny", "feed-egress-postgres", "feed-from-controller", "feed-from-monitoring", "feed-to-dns"].sort(),
    );
  });
});
