import { KubernetesObject } from "../../tools/kubernetesObjects";
import { RenderedRelease } from "../../tools/helm/renderReleases";
import { Cluster, ClusterPod, NetworkPolicyObject, connectionAllowed, ingressAllowed } from "../support/networkPolicyEvaluator";
import { dataPlaneInputs, dataPlanePodLabels, nginxResourceName } from "./ngfDataPlane";
import { ScenarioResult, chartRender } from "./scenarios";

const render = chartRender();

/** Charts whose pods receive the public traffic and forward it to the app. */
const controllerCharts = ["ingress-nginx", "traefik", "kubernetes-ingress", "gateway"];

function templateOf(o: KubernetesObject): { labels: Record<string, string>; spec: any } | undefined {
  if (o.kind !== "Deployment" && o.kind !== "DaemonSet" && o.kind !== "StatefulSet") return undefined;
  const template = (o.spec as any)?.template;
  return { labels: template?.metadata?.labels ?? {}, spec: template?.spec ?? {} };
}

let nextIp = 1;
function podOf(o: KubernetesObject): ClusterPod & { name: string } {
  const template = templateOf(o)!;
  const namedPorts = Object.fromEntries(
    (template.spec.containers ?? []).flatMap((c: any) => (c.ports ?? []).filter((p: any) => p.name).map((p: any) => [p.name, p.containerPort])),
  );
  return { name: `${o.kind}/${o.metadata.name}`, namespace: String(o.metadata.namespace), labels: template.labels, ip: `10.0.${Math.floor(nextIp / 250)}.${(nextIp++ % 250) + 1}`, namedPorts };
}

interface Case {
  scenario: ScenarioResult;
  controller: RenderedRelease;
}

const cases: Case[] = render.scenarios
  .filter((s) => s.objects.some((o) => o.kind === "NetworkPolicy"))
  .flatMap((s) =>
    s.releases
      .map((k) => render.releases[k])
      .filter((r) => controllerCharts.includes(r.release.chart))
      .map((controller) => ({ scenario: s, controller })),
  );

/** NGINX Gateway Fabric: its control plane creates the data plane at run time (a Deployment per Gateway), not the chart. */
const fabricCases: Case[] = render.scenarios
  .filter((s) => s.objects.some((o) => o.kind === "NetworkPolicy"))
  .flatMap((s) =>
    s.releases
      .map((k) => render.releases[k])
      .filter((r) => r.release.chart === "nginx-gateway-fabric")
      .map((controller) => ({ scenario: s, controller })),
  );

describe.each(cases.map((c) => [`${c.scenario.scenario.id}: ${c.controller.release.name}`, c] as const))("%s", (_title, { scenario, controller }) => {
  const namespaces = scenario.objects.filter((o) => o.kind === "Namespace").map((o) => ({ name: String(o.metadata.name), labels: o.metadata.labels ?? {} }));
  const cluster: Cluster = { namespaces };
  const policies = [...scenario.objects, ...controller.objects].filter((o) => o.kind === "NetworkPolicy") as unknown as NetworkPolicyObject[];
  const app = scenario.objects.filter((o) => templateOf(o)?.spec.containers?.some((c: any) => (c.ports ?? []).some((p: any) => p.name === "websocket")));
  const controllerPods = controller.objects.filter((o) => templateOf(o) !== undefined).map(podOf);

  it("the app's policies admit the controller pods the chart renders, on the WebSocket port, and nobody else", () => {
    expect(app.length).toBe(1);
    const appPod = podOf(app[0]);
    const port = appPod.namedPorts!.websocket;
    expect(controllerPods.length).toBeGreaterThan(0);
    const admitted = controllerPods.filter((from) => connectionAllowed(policies, cluster, { from, to: appPod, port }));
    expect(admitted.map((p) => p.name)).toEqual(controllerPods.map((p) => p.name));
    // The same labels in another namespace, and another pod in the controller's namespace, are refused.
    const stranger: ClusterPod = { namespace: "default", labels: controllerPods[0].labels, ip: "10.9.0.1" };
    const neighbour: ClusterPod = { namespace: controllerPods[0].namespace, labels: { app: "something-else" }, ip: "10.9.0.2" };
    expect(ingressAllowed(policies, cluster, { from: stranger, to: appPod, port })).toBe(false);
    expect(ingressAllowed(policies, cluster, { from: neighbour, to: appPod, port })).toBe(false);
  });
});

describe.each(fabricCases.map((c) => [`${c.scenario.scenario.id}: ${c.controller.release.name}`, c] as const))("%s: the data plane NGF provisions", (_title, { scenario, controller }) => {
  const namespaces = scenario.objects.filter((o) => o.kind === "Namespace").map((o) => ({ name: String(o.metadata.name), labels: o.metadata.labels ?? {} }));
  const cluster: Cluster = { namespaces };
  const policies = scenario.objects.filter((o) => o.kind === "NetworkPolicy") as unknown as NetworkPolicyObject[];
  const app = scenario.objects.filter((o) => templateOf(o)?.spec.containers?.some((c: any) => (c.ports ?? []).some((p: any) => p.name === "websocket")));
  const inputs = dataPlaneInputs(controller.objects, scenario.objects);
  const dataPlane: ClusterPod = { namespace: inputs.gateway.namespace, labels: dataPlanePodLabels(inputs), ip: "10.8.0.1" };
  const controlPlanes = controller.objects.filter((o) => templateOf(o) !== undefined).map(podOf);

  it("the app's policies admit the data-plane pods labelled as the provisioner labels them, and not the control plane", () => {
    expect(app.length).toBe(1);
    const appPod = podOf(app[0]);
    const port = appPod.namedPorts!.websocket;
    expect(dataPlane.labels).toMatchObject({ "app.kubernetes.io/name": `${inputs.gateway.name}-${inputs.gatewayClassName}`, "gateway.networking.k8s.io/gateway-name": inputs.gateway.name });
    expect(connectionAllowed(policies, cluster, { from: dataPlane, to: appPod, port })).toBe(true);
    // The control plane never proxies traffic; the same labels elsewhere, or another pod beside the data plane, are refused.
    expect(controlPlanes.length).toBeGreaterThan(0);
    for (const pod of controlPlanes) expect(ingressAllowed(policies, cluster, { from: pod, to: appPod, port })).toBe(false);
    expect(ingressAllowed(policies, cluster, { from: { ...dataPlane, namespace: "default", ip: "10.9.0.1" }, to: appPod, port })).toBe(false);
    expect(ingressAllowed(policies, cluster, { from: { namespace: dataPlane.namespace, labels: { app: "something-else" }, ip: "10.9.0.2" }, to: appPod, port })).toBe(false);
  });

  it("our data-plane PodDisruptionBudget selects those pods", () => {
    const budgets = scenario.objects.filter((o) => o.kind === "PodDisruptionBudget" && o.metadata.namespace === dataPlane.namespace);
    expect(budgets.length).toBe(1);
    const selector = (budgets[0].spec as any).selector.matchLabels as Record<string, string>;
    expect(Object.entries(selector).every(([k, v]) => dataPlane.labels[k] === v)).toBe(true);
  });
});

test("NGINX Gateway Fabric scenarios have NetworkPolicies to check", () => {
  expect(fabricCases.length).toBeGreaterThan(0);
});

test("NGF's provisioned-object names: <prefix>-<suffix> up to 63 characters, else the prefix cut before an 8-hex hash", () => {
  expect(nginxResourceName("websocket-gateway", "nginx")).toBe("websocket-gateway-nginx");
  // The second is cut on its dash, which goes too: no "--" in a name.
  for (const prefix of ["a".repeat(64), `${"c".repeat(46)}-${"d".repeat(10)}`]) {
    const name = nginxResourceName(prefix, "suffix");
    expect(name).toMatch(/^[a-z]+-[0-9a-f]{8}-suffix$/);
    expect(name.length).toBeLessThanOrEqual(63);
  }
});
