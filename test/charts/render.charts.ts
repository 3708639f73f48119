import Ajv from "ajv";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { deepMerge } from "../../components/config/merge";
import { restrictedViolations } from "../../policy/security/podSecurity";
import { KubernetesObject } from "../../tools/kubernetesObjects";
import { validateObjects } from "../support/schemas";
import { chartCrdSchemas, sharedSchemaFile, validateWithChartCrds } from "./crds";
import { chartRender, distinctReleases, releaseTitle } from "./scenarios";

const render = chartRender();
const releases = distinctReleases(render);
const crds = chartCrdSchemas(render);

const label = (o: KubernetesObject) => `${o.apiVersion} ${o.kind} ${o.metadata?.namespace ?? ""}/${o.metadata?.name ?? "?"}`;

function isBuiltInGroup(apiVersion: string): boolean {
  if (!apiVersion.includes("/")) return true;
  const group = apiVersion.split("/")[0];
  return !group.includes(".") || group.endsWith(".k8s.io");
}

/** Built-in APIs at alpha or beta, and extensions/*: removed from, or deprecated in, a 1.34 API server. */
function isRemovedOrDeprecated(apiVersion: string): boolean {
  const version = apiVersion.split("/").pop() ?? "";
  return apiVersion.startsWith("extensions/") || (isBuiltInGroup(apiVersion) && /(alpha|beta)/.test(version));
}

/** Namespaces the stacks create with Pod Security `restricted` enforced. */
function restrictedNamespaces(): Set<string> {
  const names = new Set<string>();
  for (const s of render.scenarios) {
    for (const o of s.objects) {
      if (o.kind === "Namespace" && o.metadata?.labels?.["pod-security.kubernetes.io/enforce"] === "restricted") names.add(String(o.metadata.name));
    }
  }
  return names;
}

function podSpecOf(o: KubernetesObject): any {
  const spec = o.spec as any;
  switch (o.kind) {
    case "Pod":
      return spec;
    case "CronJob":
      return spec?.jobTemplate?.spec?.template?.spec;
    case "Deployment":
    case "DaemonSet":
    case "StatefulSet":
    case "ReplicaSet":
    case "Job":
      return spec?.template?.spec;
    default:
      return undefined;
  }
}

/** The chart's values.schema.json as a validator (helm checks values against it before templating; this says so independently). */
function valuesSchemaValidator(chartDir: string) {
  const file = path.join(chartDir, "values.schema.json");
  if (!fs.existsSync(file)) return undefined;
  const { $schema, ...schema } = JSON.parse(fs.readFileSync(file, "utf8"));
  const ajv = String($schema).includes("2020-12") ? new Ajv2020({ strict: false, allErrors: true }) : new Ajv({ strict: false, allErrors: true });
  addFormats(ajv as Ajv);
  const validate = ajv.compile(schema);
  return (values: unknown) => (validate(values) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));
}

describe.each(releases.map((r) => [releaseTitle(r), r] as const))("%s", (_title, entry) => {
  const { rendered } = entry;

  it(`renders through the real chart${rendered.hasValuesSchema ? ", its values valid against the chart's values.schema.json" : " (the chart has no values.schema.json)"}`, () => {
    expect(rendered.objects.filter((o) => o.kind === "Deployment" || o.kind === "DaemonSet").length).toBeGreaterThan(0);
    const validate = valuesSchemaValidator(rendered.chartDir);
    expect(validate !== undefined).toBe(rendered.hasValuesSchema);
    // helm validates the chart's defaults coalesced with ours, as here.
    const defaults = YAML.parse(fs.readFileSync(path.join(rendered.chartDir, "values.yaml"), "utf8")) ?? {};
    if (validate) expect(validate(deepMerge(defaults, rendered.release.values))).toEqual([]);
  });

  it("renders only objects strictly valid against upstream schemas", () => {
    const custom = rendered.objects.filter((o) => !isBuiltInGroup(o.apiVersion) || o.apiVersion.startsWith("gateway.networking.k8s.io/"));
    const withoutSharedSchema = custom.filter((o) => !sharedSchemaFile(o.apiVersion, o.kind));
    const failures = [
      ...validateObjects(rendered.objects.filter((o) => !withoutSharedSchema.includes(o))),
      ...validateWithChartCrds(withoutSharedSchema, crds),
    ];
    expect(failures).toEqual([]);
  });

  it("uses no removed or deprecated API version", () => {
    expect(rendered.objects.filter((o) => isRemovedOrDeprecated(o.apiVersion)).map(label)).toEqual([]);
  });

  it("runs every pod under Pod Security restricted in the namespaces we label restricted", () => {
    const restricted = restrictedNamespaces();
    const pods = rendered.objects.filter((o) => podSpecOf(o) !== undefined && restricted.has(String(o.metadata?.namespace)));
    expect(pods.length).toBeGreaterThan(0);
    const violations = pods.flatMap((o) => restrictedViolations(podSpecOf(o)).map((v) => `${label(o)}: ${v}`));
    expect(violations).toEqual([]);
  });
});

describe("renderChartManifests (for npm run render)", () => {
  it("writes one file per release of a stack, and says what it did in one line", async () => {
    const { runStack } = await import("../../tools/mockRunner");
    const { renderChartManifests } = await import("../../tools/helm/renderReleases");
    const charts = await renderChartManifests((await runStack("prod")).resources);
    expect([...charts.files.keys()].filter((f) => f.startsWith("chart-")).sort()).toEqual(["chart-cert-manager.yaml", "chart-traefik.yaml"]);
    expect(charts.files.get("chart-traefik.yaml")).toMatch(/kind: Deployment/);
    expect(charts.summary).toMatch(/^templated 2 Helm release\(s\) with helm v\d/);
    expect(charts.summary).not.toMatch(/\n/);
  });

  it("without chart sources it skips, saying so in one line", async () => {
    const { runStack } = await import("../../tools/mockRunner");
    const { renderChartManifests } = await import("../../tools/helm/renderReleases");
    const charts = await renderChartManifests((await runStack("dev")).resources, "/nonexistent/charts-src");
    expect(charts.files.size).toBe(0);
    expect(charts.summary).toMatch(/^skipped templating 1 Helm release\(s\): no chart sources at /);
  });
});
