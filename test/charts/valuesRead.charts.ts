import { ensureHelm } from "../../tools/helm/ensureHelm";
import { HelmReleaseSpec, RenderedObject, templateRelease } from "../../tools/helm/renderReleases";
import { chartRender, distinctReleases } from "./scenarios";

/**
 * Every value key we set must be read by the chart: changing it changes what helm renders. A key the chart ignores is
 * a setting that silently does nothing (a typo, or a key from another chart version).
 */

type Path = (string | number)[];

/** Leaves of a values tree; arrays of objects are walked into, arrays of scalars are one leaf. */
function leaves(value: unknown, prefix: Path = []): Path[] {
  if (Array.isArray(value)) {
    return value.some((v) => v !== null && typeof v === "object") ? value.flatMap((v, i) => leaves(v, [...prefix, i])) : [prefix];
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    return entries.length === 0 ? [prefix] : entries.flatMap(([k, v]) => leaves(v, [...prefix, k]));
  }
  return [prefix];
}

function get(value: any, path: Path): any {
  return path.reduce((v, k) => (v === undefined ? undefined : v[k]), value);
}

function withLeaf(values: Record<string, unknown>, path: Path, leaf: unknown): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(values));
  const parent = get(copy, path.slice(0, -1));
  parent[path[path.length - 1]] = leaf;
  return copy;
}

/** A different value of the same type, one a chart accepts wherever it accepts the original. */
function changed(value: unknown): unknown {
  if (typeof value === "boolean") return !value;
  if (typeof value === "number") return value + 1;
  if (Array.isArray(value)) return value.length > 0 ? [...value, ...value.slice(0, 1).map(changed)] : ["x"];
  if (value !== null && typeof value === "object") return { ...value, "example.com/changed": "x" };
  const text = String(value);
  const swaps: Record<string, string> = { true: "false", false: "true", on: "off", off: "on", LoadBalancer: "NodePort", High: "Critical" };
  if (text in swaps) return swaps[text];
  const number = /^(\d+)([a-z]*)$/.exec(text);
  if (number) return `${Number(number[1]) + 1}${number[2]}`;
  return `${text}x`;
}

/** Objects flattened to `kind/namespace/name:json.path` → value, for diffs. */
function flatten(objects: RenderedObject[]): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (prefix: string, v: unknown) => {
    if (v !== null && typeof v === "object") for (const [k, c] of Object.entries(v as object)) walk(`${prefix}.${k}`, c);
    else out.set(prefix, JSON.stringify(v));
  };
  for (const o of objects) walk(`${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}:`, o);
  return out;
}

function differences(a: Map<string, string>, b: Map<string, string>, ignore: Set<string>): string[] {
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].filter((k) => !ignore.has(k) && a.get(k) !== b.get(k));
}

const helm = ensureHelm();
const render = chartRender();

/** One (chart, key path) per case, from the first release that sets it. */
const cases = new Map<string, { spec: HelmReleaseSpec; path: Path }>();
for (const { rendered } of distinctReleases(render)) {
  for (const path of leaves(rendered.release.values)) {
    const id = `${rendered.release.chart}: ${path.join(".")}`;
    if (!cases.has(id)) cases.set(id, { spec: rendered.release, path });
  }
}

/** Baseline of each release, rendered twice: what differs between two identical renders (generated certificates) is noise. */
const baselines = new Map<HelmReleaseSpec, Promise<{ flat: Map<string, string>; noise: Set<string> }>>();
function baseline(spec: HelmReleaseSpec) {
  if (!baselines.has(spec)) {
    baselines.set(
      spec,
      Promise.all([templateRelease(spec, { helm }), templateRelease(spec, { helm })]).then(([a, b]) => {
        const [fa, fb] = [flatten(a.objects), flatten(b.objects)];
        return { flat: fa, noise: new Set(differences(fa, fb, new Set())) };
      }),
    );
  }
  return baselines.get(spec)!;
}

/** What changed in the rendered objects when one key changed; a refused render counts as read (a schema or template check saw it). */
async function effectOf(spec: HelmReleaseSpec, values: Record<string, unknown>): Promise<string[]> {
  const base = await baseline(spec);
  const mutated = { ...spec, values };
  try {
    return differences(base.flat, flatten((await templateRelease(mutated, { helm })).objects), base.noise);
  } catch (error) {
    return [`render refused: ${String(error).split("\n")[0].slice(0, 160)}`];
  }
}

const effects = new Map<string, string[]>();

beforeAll(async () => {
  const queue = [...cases.entries()];
  // Two helm processes at a time: the machine has two cores.
  await Promise.all(
    [0, 1].map(async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const [id, { spec, path }] = next;
        effects.set(id, await effectOf(spec, withLeaf(spec.values, path, changed(get(spec.values, path)))));
      }
    }),
  );
  const refused = [...effects.entries()].filter(([, d]) => d[0]?.startsWith("render refused"));
  if (refused.length > 0) console.log(`${refused.length} of ${effects.size} changed keys were refused by the chart:\n${refused.map(([id, d]) => `  ${id}: ${d[0]}`).join("\n")}`);
});

describe("every value key we set changes the rendered objects", () => {
  it.each([...cases.keys()])("%s", (id) => {
    expect(effects.get(id)!.length).toBeGreaterThan(0);
  });

  it("a key the chart does not read is caught (negative control: controller.notAKey on ingress-nginx)", async () => {
    const nginx = [...cases.values()].find((c) => c.spec.chart === "ingress-nginx")!.spec;
    const values = { ...nginx.values, controller: { ...(nginx.values.controller as object), notAKey: "x" } };
    expect(await effectOf(nginx, values)).toEqual([]);
  });
});
