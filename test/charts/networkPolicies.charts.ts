import { KubernetesObject } from "../../tools/kubernetesObjects";
import { RenderedRelease } from "../../tools/helm/renderReleases";
import { Cluster, ClusterPod, NetworkPolicyObject, connectionAllowed, ingressAllowed } from "../support/networkPolicyEvaluator";
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

const notTemplated = render.scenarios
  .filter((s) => s.objects.some((o) => o.kind === "NetworkPolicy"))
  .flatMap((s) => s.releases.map((k) => render.releases[k]).filter((r) => r.release.chart === "nginx-gateway-fabric").map(() => s.scenario.id));

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

// NGINX Gateway Fabric's data plane is created by its control plane at runtime (one Deployment per Gateway), not by the chart.
test(`NGINX Gateway Fabric scenarios are listed as not templated by the chart: ${notTemplated.join(", ") || "none"}`, () => {
  expect(notTemplated.length).toBeGreaterThan(0);
});
