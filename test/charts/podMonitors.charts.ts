import { KubernetesObject } from "../../tools/kubernetesObjects";
import { chartRender } from "./scenarios";

const render = chartRender();

/** Pod templates of a chart's workloads, with their labels and named container ports. */
function podTemplates(objects: KubernetesObject[]): { name: string; labels: Record<string, string>; ports: string[] }[] {
  return objects
    .filter((o) => ["Deployment", "DaemonSet", "StatefulSet"].includes(o.kind))
    .map((o) => {
      const template = (o.spec as any).template;
      const ports = (template.spec.containers ?? []).flatMap((c: any) => (c.ports ?? []).map((p: any) => p.name)).filter(Boolean);
      return { name: `${o.kind}/${o.metadata.name}`, labels: template.metadata?.labels ?? {}, ports };
    });
}

const cases = render.scenarios.flatMap((s) =>
  s.objects
    .filter((o) => o.kind === "PodMonitor")
    .map((monitor) => ({ id: `${s.scenario.id}: ${monitor.metadata.namespace}/${monitor.metadata.name}`, monitor, charts: s.releases.map((k) => render.releases[k]) })),
);

test("some scenario scrapes a controller through a PodMonitor (NGF or the Istio gateway), so the checks below run", () => {
  expect(cases.length).toBeGreaterThan(0);
});

describe.each(cases.map((c) => [c.id, c] as const))("%s", (_id, { monitor, charts }) => {
  it("selects pods the chart really renders, in the monitor's namespace, that have the named metrics port", () => {
    const spec = monitor.spec as any;
    const selector: Record<string, string> = spec.selector.matchLabels;
    const port: string = spec.podMetricsEndpoints[0].port;
    const pods = charts
      .flatMap((c) => c.objects.filter((o) => o.metadata.namespace === monitor.metadata.namespace))
      .flatMap((o) => podTemplates([o]))
      .filter((p) => Object.entries(selector).every(([k, v]) => p.labels[k] === v));
    expect(pods.length).toBeGreaterThan(0);
    for (const pod of pods) expect([pod.name, pod.ports]).toEqual([pod.name, expect.arrayContaining([port])]);
  });
});
