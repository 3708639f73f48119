import * as fs from "fs";
import { KubernetesObject } from "../../tools/kubernetesObjects";
import { CelResult, countRules, evaluateValidations } from "../support/cel";
import { chartCrdSchemas, gvk, sharedSchemaFile } from "./crds";
import { chartRender } from "./scenarios";

/**
 * The CRDs' CEL rules (x-kubernetes-validations) on every custom resource the stacks emit and the charts render.
 * Rules come from the CRD the chart we install ships where there is one (cert-manager, KEDA, Traefik, NGINX Gateway
 * Fabric), else from ../shared/upstream/crd-schemas (Gateway API, Istio, Linkerd), which keeps them for some groups.
 */

const render = chartRender();
const chartCrds = chartCrdSchemas(render);

const isCustom = (o: KubernetesObject) => {
  if (!o.apiVersion.includes("/")) return false;
  const group = o.apiVersion.split("/")[0];
  return group.includes(".") && (!group.endsWith(".k8s.io") || group === "gateway.networking.k8s.io");
};

interface Source {
  schema: Record<string, any>;
  from: string;
}

function ruleSource(o: KubernetesObject): Source | undefined {
  const chart = chartCrds.get(gvk(o.apiVersion, o.kind));
  if (chart && countRules(chart.schema) > 0) return { schema: chart.schema, from: chart.source };
  const file = sharedSchemaFile(o.apiVersion, o.kind);
  if (file) {
    const schema = JSON.parse(fs.readFileSync(file, "utf8"));
    return { schema, from: file.replace(/.*\/(upstream|fixtures)\//, "$1/") };
  }
  return chart ? { schema: chart.schema, from: chart.source } : undefined;
}

const label = (o: KubernetesObject) => `${o.apiVersion} ${o.kind} ${o.metadata?.namespace ?? ""}/${o.metadata?.name ?? "?"}`;

/** Distinct custom resources, by content: the same object from several scenarios is evaluated once. */
const objects = new Map<string, { object: KubernetesObject; origin: string }>();
for (const s of render.scenarios) {
  for (const o of s.objects.filter(isCustom)) objects.set(JSON.stringify(o), { object: o, origin: `stack ${s.scenario.id}` });
  for (const key of s.releases) {
    const r = render.releases[key];
    for (const o of r.objects.filter(isCustom)) objects.set(JSON.stringify(o), { object: o, origin: `chart ${r.release.chart}` });
  }
}

interface Evaluated {
  object: KubernetesObject;
  origin: string;
  source?: string;
  results: CelResult[];
}

const evaluated: Evaluated[] = [...objects.values()].map(({ object, origin }) => {
  const source = ruleSource(object);
  return { object, origin, source: source?.from, results: source ? evaluateValidations(object, source.schema) : [] };
});

const all = evaluated.flatMap((e) => e.results.map((r) => ({ ...r, object: label(e.object), kind: gvk(e.object.apiVersion, e.object.kind) })));
const count = (outcome: string) => all.filter((r) => r.outcome === outcome).length;

afterAll(() => {
  const kinds = [...new Set(evaluated.map((e) => gvk(e.object.apiVersion, e.object.kind)))].sort().map((kind) => {
    const of = evaluated.filter((e) => gvk(e.object.apiVersion, e.object.kind) === kind);
    const results = all.filter((r) => r.kind === kind);
    const by = (o: string) => results.filter((r) => r.outcome === o).length;
    const source = ruleSource(of[0].object);
    return `${kind} ← ${of[0].source ?? "no CRD source"} (${source ? countRules(source.schema) : 0} rules; ${of.length} objects: ${by("pass")} pass, ${by("fail")} fail, ${by("unevaluable")} not evaluable, ${by("update-only")} update-only)`;
  });
  const unevaluable = [...new Set(all.filter((r) => r.outcome === "unevaluable").map((r) => `${r.kind} at ${r.path}: ${r.rule} (${r.detail})`))];
  const updateOnly = [...new Set(all.filter((r) => r.outcome === "update-only").map((r) => `${r.kind} at ${r.path}: ${r.rule}`))];
  console.log(
    [
      `CEL: ${evaluated.length} custom resources, ${all.length} rule evaluations: ${count("pass")} pass, ${count("fail")} fail, ` +
        `${count("unevaluable")} not evaluable by @bufbuild/cel, ${count("update-only")} transition rules (update only, not run on create)`,
      "Rule sources:",
      ...kinds.map((k) => `  ${k}`),
      `Not evaluated (counted as neither pass nor fail), ${unevaluable.length} distinct:`,
      ...unevaluable.map((u) => `  ${u}`),
      `Update-only, ${updateOnly.length} distinct:`,
      ...updateOnly.map((u) => `  ${u}`),
    ].join("\n"),
  );
});

describe("CEL rules of the CRDs hold on every custom resource", () => {
  it("every custom resource has a CRD source for its rules", () => {
    expect(evaluated.filter((e) => e.source === undefined).map((e) => label(e.object))).toEqual([]);
  });

  it("rules were found and run (the sources keep them)", () => {
    expect(count("pass")).toBeGreaterThan(50);
    for (const kind of ["gateway.networking.k8s.io/v1 HTTPRoute", "keda.sh/v1alpha1 ScaledObject", "gateway.nginx.org/v1alpha1 ProxySettingsPolicy", "networking.istio.io/v1 DestinationRule", "security.istio.io/v1 PeerAuthentication"]) {
      expect([kind, all.filter((r) => r.kind === kind && r.outcome === "pass").length > 0]).toEqual([kind, true]);
    }
  });

  it.each(evaluated.map((e) => [`${label(e.object)} (${e.origin})`, e] as const))("%s", (_title, e) => {
    const failures = e.results.filter((r) => r.outcome === "fail").map((r) => `${r.path}: ${r.rule} → ${r.detail ?? "false"}`);
    expect(failures).toEqual([]);
  });

  it("a rule that is false fails (negative control: an HTTPRoute with a duplicate hostname-less parentRef section)", () => {
    const route = evaluated.find((e) => e.object.kind === "HTTPRoute");
    const source = route && ruleSource(route.object);
    expect(source).toBeDefined();
    const broken = JSON.parse(JSON.stringify(route!.object));
    // Gateway API: a parentRef with a sectionName must be unique; the same one twice breaks a rule on spec.parentRefs.
    broken.spec.parentRefs = [broken.spec.parentRefs[0], broken.spec.parentRefs[0]];
    expect(evaluateValidations(broken, source!.schema).filter((r) => r.outcome === "fail").length).toBeGreaterThan(0);
  });
});

describe("the CEL evaluator's outcomes", () => {
  const schema = (rule: string) => ({ type: "object", properties: { url: { type: "string" }, n: { type: "integer" } }, "x-kubernetes-validations": [{ rule }] });

  it.each([
    ["a Kubernetes library function it lacks", "isURL(self.url)", "unevaluable"],
    ["syntax it does not parse (optional field selection)", "self.?url.orValue('') != ''", "unevaluable"],
    ["a transition rule", "self.n == oldSelf.n", "update-only"],
    ["a false rule", "self.n > 5", "fail"],
    ["a field the rule reads that is absent", "self.missing == 1", "fail"],
    ["a true rule, the integer typed from the schema", "self.n == 3 && self.url.startsWith('https://')", "pass"],
  ])("%s: %s → %s", (_what, rule, outcome) => {
    expect(evaluateValidations({ url: "https://example.com", n: 3 }, schema(rule)).map((r) => r.outcome)).toEqual([outcome]);
  });
});
