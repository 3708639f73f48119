import { criticalPath, secondsFor } from "../../bench/criticalPath";
import { avoidableWaits, unavoidable } from "../../bench/delivery";
import { creationGraph } from "../../bench/dependencyGraph";
import { formatSpread, interleave, ratioSpread, spread } from "../../bench/interleave";
import { defaultScaleProgram, platformWithApps, scalePrograms } from "../../bench/scaleProgram";
import { sdkFloor } from "../../bench/sdkFloor";
import { ProgramRun, RegisteredResource, runProgram } from "../../tools/mockRunner";
import { readStackFile } from "../../tools/stackConfig";
import { runStack } from "../support/render";
import { helmReleases } from "../../tools/kubernetesObjects";

const resource = (type: string, name: string, extra: Partial<RegisteredResource> = {}): RegisteredResource => ({
  key: `${type}::${name}`,
  type,
  name,
  custom: true,
  dependsOn: [],
  dependencies: [],
  inputs: {},
  ...extra,
});

test("the critical path is the heaviest chain, and the serial time is the sum of all", () => {
  const release = resource("kubernetes:helm.sh/v3:Release", "cert-manager");
  const ns = resource("kubernetes:core/v1:Namespace", "ns");
  const issuer = resource("kubernetes:cert-manager.io/v1:ClusterIssuer", "letsencrypt");
  const deploy = resource("kubernetes:apps/v1:Deployment", "app");
  const run: ProgramRun = { resources: [release, ns, issuer, deploy], outputs: {} };
  const graph = new Map([
    [release.key, new Set([ns.key])],
    [ns.key, new Set<string>()],
    [issuer.key, new Set([release.key])],
    [deploy.key, new Set([ns.key])],
  ]);
  const cp = criticalPath(run, graph);
  expect(cp.chain).toEqual([ns.key, release.key, issuer.key]);
  expect(cp.chainSeconds).toBe(1 + 60 + 1);
  expect(cp.serialSeconds).toBe(1 + 60 + 1 + 20);
  expect(secondsFor("kubernetes:apps/v1:Deployment")).toBe(20);
});

test("waits the engine cannot skip are told apart from avoidable ones", () => {
  expect(unavoidable("kubernetes:helm.sh/v3:Release::cert-manager", "kubernetes:cert-manager.io/v1:ClusterIssuer::le")).toBe(true);
  expect(unavoidable("kubernetes:core/v1:Namespace::ns", "kubernetes:apps/v1:Deployment::app")).toBe(true);
  expect(unavoidable("kubernetes:helm.sh/v3:Release::traefik", "kubernetes:apps/v1:Deployment::app")).toBe(false);
  expect(unavoidable("kubernetes:apps/v1:Deployment::app", "kubernetes:policy/v1:PodDisruptionBudget::app")).toBe(false);
  expect(unavoidable("kubernetes:helm.sh/v3:Release::traefik", "kubernetes:helm.sh/v3:Release::cert-manager")).toBe(false);
  expect(unavoidable("kubernetes:helm.sh/v3:Release::cert-manager", "kubernetes:helm.sh/v3:Release::keda")).toBe(false);
  expect(unavoidable("kubernetes:helm.sh/v3:Release::cert-manager", "kubernetes:helm.sh/v3:Release::prometheus-adapter")).toBe(true);
  expect(unavoidable("kubernetes:helm.sh/v3:Release::ingress-nginx", "kubernetes:networking.k8s.io/v1:Ingress::app")).toBe(true);
  expect(unavoidable("kubernetes:gateway.networking.k8s.io/v1:Gateway::gw", "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute::app")).toBe(false);
  expect(unavoidable("kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition::httproutes", "kubernetes:helm.sh/v3:Release::cert-manager")).toBe(true);
  expect(unavoidable("kubernetes:traefik.io/v1alpha1:IngressRoute::app", "kubernetes:batch/v1:Job::smoke")).toBe(true);
});

describe("the longest chain of `pulumi up` holds only unavoidable waits", () => {
  const gateway = ["ingress.api=gateway", "tls.issuer=letsencrypt"];
  test.each([
    ["dev", []],
    ["staging", []],
    ["prod", []],
    ["prod", ["ingress.controller=nginx"]],
    ["prod", ["ingress.controller=haproxy"]],
    ["prod", gateway],
    ["prod", ["ingress.controller=nginx-gateway-fabric", "tls.issuer=letsencrypt"]],
    ["prod", ["tls.certManager.install=false", ...gateway]],
    ["prod", ["autoscaling.enabled=true", "autoscaling.engine=prometheus-adapter"]],
    ["prod", ["autoscaling.enabled=true", "mesh.provider=istio"]],
  ])("%s %j", async (stack, overrides) => {
    const run = await runStack(stack, overrides);
    const cp = criticalPath(run, creationGraph(run));
    expect(cp.chain.length).toBeGreaterThanOrEqual(3);
    expect(avoidableWaits(cp.chain)).toEqual([]);
  });
});

test("the mock runner records implicit (Output) and explicit (dependsOn) dependencies of a real stack", async () => {
  const run = await runStack("prod");
  const graph = creationGraph(run);
  // The app's objects (the cluster part registers its own namespaces first).
  const key = (type: string) => run.resources.find((r) => r.type === type && !r.name.startsWith("websocket-ingress") && !r.name.startsWith("websocket-tls-cert-manager"))!.key;
  // The Deployment names its namespace through the Namespace's Output (implicit) and has no explicit dependsOn.
  const deploymentResource = run.resources.find((r) => r.key === key("kubernetes:apps/v1:Deployment"))!;
  expect(deploymentResource.dependsOn).toEqual([]);
  expect(deploymentResource.dependencies).toContain(key("kubernetes:core/v1:Namespace"));
  const deployment = key("kubernetes:apps/v1:Deployment");
  expect(graph.get(deployment)).toEqual(new Set([key("kubernetes:core/v1:Namespace"), key("kubernetes:core/v1:ServiceAccount")]));
  // The budget only needs the namespace: waiting for the Deployment's rollout would put it on the critical path.
  expect(graph.get(key("kubernetes:policy/v1:PodDisruptionBudget"))).toEqual(new Set([key("kubernetes:core/v1:Namespace")]));
  expect(graph.has("websocket-platform:index:WebSocketPlatform::websocket")).toBe(false);
});

test("the scale program builds one platform with N apps, each with its own objects", async () => {
  const run = await runProgram(platformWithApps(3), { stack: "prod", config: readStackFile("prod") });
  const deployments = run.resources.filter((r) => r.type === "kubernetes:apps/v1:Deployment").map((r) => r.inputs.metadata.name);
  expect(deployments.sort()).toEqual(["echo", "echo-2", "echo-3"]);
  expect(run.resources.filter((r) => r.type === "websocket-platform:index:WebSocketPlatform")).toHaveLength(1);
  // One app namespace shared by every app (the controller and cert-manager have their own).
  expect(run.resources.filter((r) => r.type === "kubernetes:core/v1:Namespace" && r.inputs.metadata.name === "websocket")).toHaveLength(1);
});

test("the default scale program puts N whole app parts on one cluster part: one controller, N routes, certificates, policies, dashboards, autoscalers", async () => {
  const run = await runProgram(scalePrograms[defaultScaleProgram](3), { stack: "prod", config: readStackFile("prod") });
  const count = (type: string) => run.resources.filter((r) => r.type === type).length;
  expect(helmReleases(run.resources).map((r) => r.inputs.name).sort()).toEqual(["cert-manager", "keda", "traefik"]);
  expect(count("websocket-platform:index:WebSocketService")).toBe(3);
  for (const type of ["kubernetes:apps/v1:Deployment", "kubernetes:traefik.io/v1alpha1:IngressRoute", "kubernetes:cert-manager.io/v1:Certificate", "kubernetes:keda.sh/v1alpha1:ScaledObject", "kubernetes:monitoring.coreos.com/v1:ServiceMonitor"]) {
    expect([type, count(type)]).toEqual([type, 3 + (type.endsWith("IngressRoute") ? 3 : 0)]);
  }
  // Every app its own namespace, default-deny NetworkPolicies in each.
  const policyNamespaces = new Set(run.resources.filter((r) => r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy").map((r) => r.inputs.metadata.namespace));
  expect([...policyNamespaces].sort()).toEqual(["echo-1", "echo-2", "echo-3"]);
});

test("the SDK floor registers exactly as many resources as asked, its stack and bare ConfigMaps, and each app part adds the same number", async () => {
  const floor = await runProgram(sdkFloor(8), { stack: "prod", config: {} });
  expect(floor.resources.map((r) => r.type).sort()).toEqual([...Array(7).fill("kubernetes:core/v1:ConfigMap"), "pulumi:pulumi:Stack"]);
  expect(new Set(floor.resources.filter((r) => r.custom).map((r) => r.inputs.metadata.name)).size).toBe(7);
  // The scale bench predicts each size's resource count from 1 and 2 apps (and checks every run against it).
  const counts = [];
  for (const apps of [1, 2, 4]) counts.push((await runProgram(scalePrograms[defaultScaleProgram](apps), { stack: "prod", config: readStackFile("prod") })).resources.length);
  expect(counts[2]).toBe(counts[0] + 3 * (counts[1] - counts[0]));
  expect(counts[1]).toBeGreaterThan(counts[0]);
});

describe("bench arms alternate and report their spread", () => {
  test("every arm runs once per round, and no arm always goes first", () => {
    const order: string[] = [];
    const samples = interleave(["a", "b", "c"], 3, (arm, round) => {
      order.push(arm);
      return round;
    });
    expect(order).toEqual(["a", "b", "c", "b", "c", "a", "c", "a", "b"]);
    expect(samples.get("b")).toEqual([0, 1, 2]);
  });

  test("a ratio is taken within each round, then summarised as median (min–max)", () => {
    // The machine slows down over the rounds; both arms slow alike, so the ratio stays put.
    const ratio = ratioSpread([20, 40, 80], [10, 20, 40]);
    expect(ratio).toEqual({ median: 2, min: 2, max: 2 });
    expect(formatSpread(spread([3, 1, 2, 10]), 1, " ms")).toBe("2.5 ms (1.0–10.0)");
  });
});
