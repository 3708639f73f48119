import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import YAML from "yaml";
import { KubernetesObject, helmReleases } from "../kubernetesObjects";
import { RegisteredResource } from "../mockRunner";
import { HelmBinary, findHelm } from "./ensureHelm";

const run = promisify(execFile);

/** ../shared beside the repository: chart sources are read in place, never copied. */
export const sharedDir = path.resolve(__dirname, "../../../shared");
export const chartSourceDir = path.join(sharedDir, "upstream", "charts-src");

/** The cluster we template for: Kubernetes 1.34 (the helm carrier's kubectl is v1.34). */
export const kubeVersion = "v1.34.0";

/**
 * What a 1.34 cluster running kube-prometheus-stack reports through discovery (Helm's `.Capabilities.APIVersions`):
 * group/versions and group/version/kinds. Only served, non-deprecated APIs: a chart that probes for an old API finds none.
 */
export const clusterApiVersions: string[] = [
  ...["v1", "apps/v1", "batch/v1", "autoscaling/v1", "autoscaling/v2", "policy/v1", "networking.k8s.io/v1", "rbac.authorization.k8s.io/v1"],
  ...["admissionregistration.k8s.io/v1", "apiextensions.k8s.io/v1", "apiregistration.k8s.io/v1", "coordination.k8s.io/v1", "discovery.k8s.io/v1"],
  ...["storage.k8s.io/v1", "scheduling.k8s.io/v1", "certificates.k8s.io/v1", "events.k8s.io/v1", "flowcontrol.apiserver.k8s.io/v1", "node.k8s.io/v1"],
  ...["resource.k8s.io/v1", "authentication.k8s.io/v1", "authorization.k8s.io/v1"],
  ...["apps/v1/Deployment", "apps/v1/DaemonSet", "apps/v1/StatefulSet", "batch/v1/Job", "batch/v1/CronJob", "policy/v1/PodDisruptionBudget"],
  ...["autoscaling/v2/HorizontalPodAutoscaler", "networking.k8s.io/v1/Ingress", "networking.k8s.io/v1/IngressClass", "networking.k8s.io/v1/NetworkPolicy"],
  ...["apiregistration.k8s.io/v1/APIService", "admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration", "admissionregistration.k8s.io/v1/MutatingWebhookConfiguration"],
  // kube-prometheus-stack's prometheus-operator CRDs.
  "monitoring.coreos.com/v1",
  ...["ServiceMonitor", "PodMonitor", "PrometheusRule", "Prometheus", "Alertmanager", "Probe", "ThanosRuler"].map((k) => `monitoring.coreos.com/v1/${k}`),
  "monitoring.coreos.com/v1alpha1",
  ...["AlertmanagerConfig", "PrometheusAgent", "ScrapeConfig"].map((k) => `monitoring.coreos.com/v1alpha1/${k}`),
];

/** A Helm release as the program registered it (`kubernetes:helm.sh/v3:Release` inputs). */
export interface HelmReleaseSpec {
  name: string;
  /** Chart name (an OCI reference is reduced to its last path segment). */
  chart: string;
  version: string;
  namespace: string;
  values: Record<string, unknown>;
}

export interface RenderedObject extends KubernetesObject {
  metadata: KubernetesObject["metadata"];
}

export interface RenderedRelease {
  release: HelmReleaseSpec;
  /** Chart source directory the release was templated from. */
  chartDir: string;
  /** Every object `helm install` would apply (CRDs from crds/ included; test hooks left out), namespace filled in. */
  objects: RenderedObject[];
  /** The multi-document YAML as helm printed it. */
  manifest: string;
  /** Whether the chart ships a values.schema.json (helm validates the values against it before templating). */
  hasValuesSchema: boolean;
}

export function releaseSpec(resource: RegisteredResource): HelmReleaseSpec {
  const inputs = resource.inputs;
  const chart = String(inputs.chart);
  return {
    name: String(inputs.name),
    chart: chart.slice(chart.lastIndexOf("/") + 1),
    version: String(inputs.version),
    namespace: String(inputs.namespace),
    values: (inputs.values ?? {}) as Record<string, unknown>,
  };
}

/** The chart's source directory under `chartsDir`, checked to be the pinned version (SOURCES.txt names the upstream tag). */
export function chartDirFor(release: HelmReleaseSpec, chartsDir = chartSourceDir): string {
  const dir = path.join(chartsDir, release.chart);
  const chartYaml = path.join(dir, "Chart.yaml");
  if (!fs.existsSync(chartYaml)) throw new Error(`no chart source for ${release.chart} in ${chartsDir}`);
  const version = String(YAML.parse(fs.readFileSync(chartYaml, "utf8")).version);
  if (version !== release.version) throw new Error(`chart source ${dir} is ${release.chart} ${version}, the release pins ${release.version}`);
  return dir;
}

export interface TemplateOptions {
  helm: HelmBinary;
  chartsDir?: string;
  apiVersions?: string[];
  kubeVersion?: string;
}

/** `helm template` of one release through its real chart source, values handed over as JSON (YAML 1.1 would turn `off` into false). */
export async function templateRelease(release: HelmReleaseSpec, options: TemplateOptions): Promise<RenderedRelease> {
  const chartDir = chartDirFor(release, options.chartsDir);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "helm-values-"));
  const valuesFile = path.join(scratch, "values.json");
  fs.writeFileSync(valuesFile, JSON.stringify(release.values));
  const args = [
    "template",
    release.name,
    chartDir,
    "--namespace",
    release.namespace,
    "--values",
    valuesFile,
    "--include-crds",
    "--skip-tests",
    "--kube-version",
    options.kubeVersion ?? kubeVersion,
    ...(options.apiVersions ?? clusterApiVersions).flatMap((v) => ["--api-versions", v]),
  ];
  try {
    const { stdout } = await run(options.helm.path, args, { maxBuffer: 256 * 1024 * 1024, env: { ...process.env, HELM_CACHE_HOME: scratch, HELM_CONFIG_HOME: scratch, HELM_DATA_HOME: scratch } });
    return {
      release,
      chartDir,
      objects: parseManifest(stdout, release.namespace),
      manifest: stdout,
      hasValuesSchema: fs.existsSync(path.join(chartDir, "values.schema.json")),
    };
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`helm template ${release.name} (${release.chart} ${release.version}) failed: ${stderr || String(error)}`);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

const clusterScopedKinds = new Set([
  "Namespace",
  "ClusterRole",
  "ClusterRoleBinding",
  "CustomResourceDefinition",
  "IngressClass",
  "GatewayClass",
  "APIService",
  "ValidatingWebhookConfiguration",
  "MutatingWebhookConfiguration",
  "PriorityClass",
  "StorageClass",
]);

/** The objects of a multi-document manifest; namespaced ones without a namespace get the release's, as Helm applies them. */
export function parseManifest(manifest: string, namespace: string): RenderedObject[] {
  return YAML.parseAllDocuments(manifest)
    .map((doc) => doc.toJS() as RenderedObject | null)
    .filter((o): o is RenderedObject => o !== null && typeof o === "object" && typeof o.kind === "string")
    .map((o) => {
      const metadata = o.metadata ?? {};
      if (clusterScopedKinds.has(o.kind) || metadata.namespace) return { ...o, metadata };
      return { ...o, metadata: { ...metadata, namespace } };
    });
}

/** Every registered Helm release templated through its chart source. */
export async function renderHelmReleases(resources: RegisteredResource[], options: TemplateOptions): Promise<RenderedRelease[]> {
  const rendered: RenderedRelease[] = [];
  for (const resource of helmReleases(resources)) rendered.push(await templateRelease(releaseSpec(resource), options));
  return rendered;
}

export interface ChartManifests {
  /** File name → YAML: `chart-<release>.yaml` per release. */
  files: Map<string, string>;
  /** One line for the console: what was rendered, or what was skipped and why. */
  summary: string;
}

/**
 * For `npm run render`: the objects every registered Helm release creates, templated by a real helm through the chart
 * sources in ../shared. Never fetches anything: without helm (PATH or the cache `npm run test:charts` fills) it skips.
 */
export async function renderChartManifests(resources: RegisteredResource[], chartsDir = chartSourceDir): Promise<ChartManifests> {
  const releases = helmReleases(resources);
  const files = new Map<string, string>();
  if (releases.length === 0) return { files, summary: "no Helm releases to template" };
  const helm = findHelm();
  if (!helm) {
    return { files, summary: `skipped templating ${releases.length} Helm release(s): no helm v3.14+ on PATH or in node_modules/.cache (npm run test:charts fetches one)` };
  }
  if (!fs.existsSync(chartsDir)) return { files, summary: `skipped templating ${releases.length} Helm release(s): no chart sources at ${chartsDir}` };
  const rendered = await renderHelmReleases(resources, { helm, chartsDir });
  for (const r of rendered) files.set(`chart-${r.release.name}.yaml`, r.manifest);
  const objects = rendered.reduce((n, r) => n + r.objects.length, 0);
  return { files, summary: `templated ${rendered.length} Helm release(s) with helm ${helm.version}: ${objects} objects` };
}
