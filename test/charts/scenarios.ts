import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { KubernetesObject, kubernetesObjects } from "../../tools/kubernetesObjects";
import { RegisteredResource, runStack } from "../../tools/mockRunner";
import { HelmBinary, ensureHelm } from "../../tools/helm/ensureHelm";
import { HelmReleaseSpec, RenderedRelease, releaseSpec, templateRelease } from "../../tools/helm/renderReleases";
import { helmReleases } from "../../tools/kubernetesObjects";

/** One program run whose Helm releases are templated: a stack as committed, or prod with overrides. */
export interface Scenario {
  id: string;
  stack: string;
  overrides: string[];
}

export const controllers = ["nginx", "traefik", "haproxy", "nginx-gateway-fabric", "istio"] as const;
export const engines = ["keda", "prometheus-adapter"] as const;

/** The committed stacks, then every controller (Traefik on both route APIs) × autoscaling engine with TLS on (prod), then HAProxy with affinity. */
export const scenarios: Scenario[] = [
  ...["dev", "staging", "prod"].map((stack) => ({ id: stack, stack, overrides: [] })),
  ...[...controllers.map((c) => ({ id: c, over: [`ingress.controller=${c}`] })), { id: "traefik+gateway", over: ["ingress.controller=traefik", "ingress.api=gateway"] }].flatMap(
    ({ id, over }) =>
      engines.map((engine) => ({
        id: `${id} × ${engine}`,
        stack: "prod",
        overrides: [...over, "tls.enabled=true", "autoscaling.enabled=true", `autoscaling.engine=${engine}`],
      })),
  ),
  // HAProxy's cookie persistence is controller-wide (its ConfigMap): one more release to template.
  { id: "haproxy+affinity", stack: "prod", overrides: ["ingress.controller=haproxy", "ingress.sessionAffinity=true"] },
  // Meshes add custom resources (policies) for the CEL rules; they install no chart.
  { id: "istio mesh", stack: "prod", overrides: ["mesh.provider=istio"] },
  { id: "linkerd mesh", stack: "prod", overrides: ["mesh.provider=linkerd"] },
];

export interface ScenarioResult {
  scenario: Scenario;
  /** Kubernetes objects the program registers itself (not through Helm). */
  objects: KubernetesObject[];
  /** Keys into ChartRender.releases, one per registered Helm release. */
  releases: string[];
}

export interface ChartRender {
  helm: HelmBinary;
  scenarios: ScenarioResult[];
  /** Deduplicated by chart, release name, namespace and values: each is templated once. */
  releases: Record<string, RenderedRelease>;
  seconds: { program: number; helm: number };
}

export const renderCacheFile = path.resolve(__dirname, "../../node_modules/.cache/websocket-platform-charts/render.json");

export function releaseKey(release: HelmReleaseSpec): string {
  const digest = createHash("sha256").update(JSON.stringify(release.values)).digest("hex").slice(0, 10);
  return `${release.name}@${release.namespace} ${digest}`;
}

/** Run every scenario under the mock runtime and template each distinct release once. */
export async function renderAll(): Promise<ChartRender> {
  const helm = ensureHelm();
  const results: ScenarioResult[] = [];
  const specs = new Map<string, HelmReleaseSpec>();
  const programStart = Date.now();
  for (const scenario of scenarios) {
    const run = await runStack(scenario.stack, scenario.overrides);
    const releases = helmReleases(run.resources).map((r: RegisteredResource) => {
      const spec = releaseSpec(r);
      specs.set(releaseKey(spec), spec);
      return releaseKey(spec);
    });
    results.push({ scenario, objects: kubernetesObjects(run.resources), releases });
  }
  const helmStart = Date.now();
  const releases: Record<string, RenderedRelease> = {};
  const queue = [...specs.entries()];
  // Two helm processes at a time: the machine has two cores.
  await Promise.all(
    [0, 1].map(async () => {
      for (let next = queue.shift(); next; next = queue.shift()) releases[next[0]] = await templateRelease(next[1], { helm });
    }),
  );
  return { helm, scenarios: results, releases, seconds: { program: (helmStart - programStart) / 1000, helm: (Date.now() - helmStart) / 1000 } };
}

let loaded: ChartRender | undefined;

/** What the global setup rendered (every test file reads the same render). */
export function chartRender(): ChartRender {
  if (!loaded) {
    if (!fs.existsSync(renderCacheFile)) throw new Error(`${renderCacheFile} is missing: run the chart tests with npm run test:charts`);
    loaded = JSON.parse(fs.readFileSync(renderCacheFile, "utf8")) as ChartRender;
  }
  return loaded;
}

/** Distinct releases with the scenarios they appear in, in a stable order. */
export function distinctReleases(render = chartRender()): { key: string; rendered: RenderedRelease; scenarios: string[] }[] {
  return Object.keys(render.releases)
    .sort()
    .map((key) => ({
      key,
      rendered: render.releases[key],
      scenarios: render.scenarios.filter((s) => s.releases.includes(key)).map((s) => s.scenario.id),
    }));
}

/** Readable test title of a release: name, chart version and the scenarios it comes from. */
export function releaseTitle(entry: { rendered: RenderedRelease; scenarios: string[] }): string {
  const r = entry.rendered.release;
  const from = entry.scenarios.length > 3 ? `${entry.scenarios.slice(0, 3).join(", ")} +${entry.scenarios.length - 3}` : entry.scenarios.join(", ");
  return `${r.name} (${r.chart} ${r.version}; ${from})`;
}

/** The rendered release of a chart in a scenario. */
export function releaseIn(scenarioId: string, chart: string, render = chartRender()): RenderedRelease {
  const scenario = render.scenarios.find((s) => s.scenario.id === scenarioId);
  if (!scenario) throw new Error(`no scenario ${scenarioId}`);
  const found = scenario.releases.map((k) => render.releases[k]).filter((r) => r.release.chart === chart);
  if (found.length !== 1) throw new Error(`expected one ${chart} release in ${scenarioId}, found ${found.length}`);
  return found[0];
}
