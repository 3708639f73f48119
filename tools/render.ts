import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { isConfigError } from "../components/config/configError";
import { ProgramRun, runStack } from "./mockRunner";
import { compareObjects, helmReleases, isKubernetesObject, KubernetesObject, owningComponent } from "./kubernetesObjects";
import { checkStackName, repoRoot } from "./stackConfig";
import { renderChartManifests } from "./helm/renderReleases";
import { manifestMirrorVariable, renderConfigFileManifests } from "./configFileManifests";

/** File name → YAML text: one multi-document file per component, plus helm-releases.yaml. */
export function renderFiles(run: ProgramRun): Map<string, string> {
  const byKey = new Map(run.resources.map((r) => [r.key, r]));
  const groups = new Map<string, KubernetesObject[]>();
  for (const resource of run.resources.filter(isKubernetesObject)) {
    const owner = owningComponent(resource, byKey);
    const file = `${owner ? owner.name : "stack"}.yaml`;
    groups.set(file, [...(groups.get(file) ?? []), resource.inputs as KubernetesObject]);
  }
  const files = new Map<string, string>();
  for (const file of [...groups.keys()].sort()) {
    const docs = groups.get(file)!.sort(compareObjects);
    files.set(file, docs.map((d) => YAML.stringify(sortKeys(d, objectKeyOrder), { lineWidth: 0 })).join("---\n"));
  }
  const releases = helmReleases(run.resources)
    .map((r) => ({
      release: r.inputs.name,
      ...chartAndRepository(String(r.inputs.chart), r.inputs.repositoryOpts?.repo),
      version: r.inputs.version,
      namespace: r.inputs.namespace,
      values: r.inputs.values ?? {},
    }))
    .sort((a, b) => (String(a.release) < String(b.release) ? -1 : 1));
  if (releases.length > 0) {
    files.set("helm-releases.yaml", releases.map((r) => YAML.stringify(sortKeys(r, releaseKeyOrder), { lineWidth: 0 })).join("---\n"));
  }
  return files;
}

/** An OCI chart reference `oci://host/path/chart` as repository `oci://host/path` and chart `chart`, like a classic repo. */
export function chartAndRepository(chart: string, repo: string | undefined): { chart: string; repository?: string } {
  if (repo !== undefined || !chart.startsWith("oci://")) return { chart, ...(repo !== undefined ? { repository: repo } : {}) };
  const slash = chart.lastIndexOf("/");
  return { chart: chart.slice(slash + 1), repository: chart.slice(0, slash) };
}

const objectKeyOrder = ["apiVersion", "kind", "metadata"];
const releaseKeyOrder = ["release", "chart", "repository", "version", "namespace"];

/** Keys in a fixed order (the top-level ones given first; the rest sorted) so diffs show changes, not noise. */
function sortKeys(value: unknown, topFirst: string[], depth = 0): unknown {
  if (Array.isArray(value)) return value.map((v) => sortKeys(v, topFirst, depth + 1));
  if (value === null || typeof value !== "object") return value;
  const first = depth === 0 ? topFirst : [];
  const keys = Object.keys(value as object).sort((a, b) => {
    const ia = first.indexOf(a);
    const ib = first.indexOf(b);
    if (ia !== -1 || ib !== -1) return (ia === -1 ? 99 : ia) - (ib === -1 ? 99 : ib);
    return a < b ? -1 : a > b ? 1 : 0;
  });
  return Object.fromEntries(keys.map((k) => [k, sortKeys((value as Record<string, unknown>)[k], topFirst, depth + 1)]));
}

interface RenderCli {
  stack: string;
  out: string;
  overrides: string[];
  /** Local copy of the manifests ConfigFiles fetch (`--manifest-mirror`, else $RENDER_MANIFEST_MIRROR). */
  manifestMirror?: string;
  /** A manifest render cannot get is an error instead of a skipped file (CI, where a gap would read as a deletion). */
  requireManifests?: boolean;
}

const usage = "Usage: npm run render -- <stack> [--out DIR] [--config key.path=value ...] [--manifest-mirror DIR|FILE] [--require-manifests]";

export function parseRenderArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): RenderCli {
  const overrides: string[] = [];
  let out: string | undefined;
  let stack: string | undefined;
  let manifestMirror: string | undefined = env[manifestMirrorVariable] || undefined;
  let requireManifests = false;
  const valueOf = (flag: string, value: string | undefined): string => {
    if (value === undefined || value === "") throw new Error(`${flag} needs a value. ${usage}`);
    return value;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--out") out = valueOf(arg, argv[++i]);
    else if (arg === "--config") overrides.push(valueOf(arg, argv[++i]));
    else if (arg.startsWith("--config=")) overrides.push(arg.slice("--config=".length));
    else if (arg.startsWith("--out=")) out = valueOf("--out", arg.slice("--out=".length));
    else if (arg === "--manifest-mirror") manifestMirror = valueOf(arg, argv[++i]);
    else if (arg.startsWith("--manifest-mirror=")) manifestMirror = valueOf("--manifest-mirror", arg.slice("--manifest-mirror=".length));
    else if (arg === "--require-manifests") requireManifests = true;
    else if (!arg.startsWith("--") && stack === undefined) stack = arg;
    else throw new Error(`Unknown argument "${arg}". ${usage}`);
  }
  if (!stack) throw new Error(usage);
  checkStackName(stack);
  return {
    stack,
    out: path.resolve(out ?? path.join(repoRoot, "out", stack)),
    overrides,
    ...(manifestMirror ? { manifestMirror: path.resolve(manifestMirror) } : {}),
    ...(requireManifests ? { requireManifests } : {}),
  };
}

/** Written into every directory render fills: its presence (and the files it lists) is what render may replace. */
export const renderMarkerFile = ".websocket-platform-render.json";

interface RenderMarker {
  renderedBy: string;
  files: string[];
}

/** A file name render writes: a plain name, never a path. */
const renderedFileName = /^[A-Za-z0-9][A-Za-z0-9._-]*\.yaml$/;

/**
 * The files a previous render left in `dir` (to replace), or [] for a new or empty directory. Anything else (a file,
 * a symlink, a directory with other content and no marker) is refused: render must never delete what it did not write.
 */
export function previousRender(dir: string): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(dir);
  } catch {
    return [];
  }
  if (stat.isSymbolicLink()) throw new Error(`--out ${dir} is a symbolic link; give a new directory or one render wrote before`);
  if (!stat.isDirectory()) throw new Error(`--out ${dir} is a file, not a directory; give a new directory or one render wrote before`);
  const entries = fs.readdirSync(dir);
  if (entries.length === 0) return [];
  const refuse = () =>
    new Error(`--out ${dir} is not empty and was not written by render (no valid ${renderMarkerFile}); give a new directory or empty it yourself`);
  if (!entries.includes(renderMarkerFile)) throw refuse();
  let marker: RenderMarker;
  try {
    marker = JSON.parse(fs.readFileSync(path.join(dir, renderMarkerFile), "utf8")) as RenderMarker;
  } catch {
    throw refuse();
  }
  if (!Array.isArray(marker.files) || !marker.files.every((f) => typeof f === "string" && renderedFileName.test(f))) throw refuse();
  return marker.files;
}

export async function renderToDirectory(cli: RenderCli): Promise<string[]> {
  // Checked before the (slow) run and again by nothing else: the run itself writes nowhere.
  const previous = previousRender(cli.out);
  const run = await runStack(cli.stack, cli.overrides);
  const files = renderFiles(run);
  const add = (file: string, text: string, what: string) => {
    if (files.has(file)) throw new Error(`render: ${file} would be written twice (${what} and a component share a name)`);
    files.set(file, text);
  };
  // The objects each chart creates, templated by a real helm through the chart source, so a PR diff shows them too.
  const charts = await renderChartManifests(run.resources);
  for (const [file, text] of charts.files) add(file, text, "a chart");
  console.log(`render: ${charts.summary}`);
  // The manifest each ConfigFile applies (the Gateway API CRDs), from the URL or path the program gave it.
  const manifests = await renderConfigFileManifests(run.resources, { mirror: cli.manifestMirror });
  for (const line of manifests.lines) console.log(`render: ${line}`);
  if (cli.requireManifests && manifests.skipped.length > 0) {
    throw new Error(`render: --require-manifests: ${manifests.skipped.map((s) => `${s.resource}: ${s.reason}`).join("; ")}`);
  }
  for (const { file, text } of manifests.written) add(file, text, "a ConfigFile");
  const strange = [...files.keys()].find((f) => !renderedFileName.test(f));
  if (strange !== undefined) throw new Error(`render: refusing to write ${JSON.stringify(strange)}, which is not a plain file name`);
  fs.mkdirSync(cli.out, { recursive: true });
  for (const file of previous) {
    const target = path.join(cli.out, file);
    if (fs.existsSync(target) && fs.lstatSync(target).isFile()) fs.rmSync(target);
  }
  const marker: RenderMarker = { renderedBy: "npm run render (tools/render.ts); render replaces only the files listed here", files: [...files.keys()] };
  fs.writeFileSync(path.join(cli.out, renderMarkerFile), `${JSON.stringify(marker, null, 2)}\n`);
  for (const [file, text] of files) fs.writeFileSync(path.join(cli.out, file), text);
  return [...files.keys()];
}

if (require.main === module) {
  (async () => {
    try {
      const cli = parseRenderArgs(process.argv.slice(2));
      const files = await renderToDirectory(cli);
      console.log(`Rendered stack ${cli.stack} to ${path.relative(process.cwd(), cli.out) || "."}: ${files.join(", ")}`);
    } catch (error) {
      // A config error is the user's to fix: its message alone, no stack trace; any other error in one line.
      const message = error instanceof Error ? error.message : String(error);
      console.error(isConfigError(error) ? message : message.split("\n")[0]);
      process.exit(isConfigError(error) ? 2 : 1);
    }
  })();
}
