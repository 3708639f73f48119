import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { isConfigError } from "../components/config/configError";
import { ProgramRun, runStack } from "./mockRunner";
import { compareObjects, helmReleases, isKubernetesObject, KubernetesObject, owningComponent } from "./kubernetesObjects";
import { repoRoot } from "./stackConfig";

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
}

export function parseRenderArgs(argv: string[]): RenderCli {
  const overrides: string[] = [];
  let out: string | undefined;
  let stack: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--out") out = argv[++i];
    else if (arg === "--config") overrides.push(argv[++i] ?? "");
    else if (arg.startsWith("--config=")) overrides.push(arg.slice("--config=".length));
    else if (arg.startsWith("--out=")) out = arg.slice("--out=".length);
    else if (!arg.startsWith("--") && stack === undefined) stack = arg;
    else throw new Error(`Unknown argument "${arg}". Usage: npm run render -- <stack> [--out DIR] [--config key.path=value ...]`);
  }
  if (!stack) throw new Error("Usage: npm run render -- <stack> [--out DIR] [--config key.path=value ...]");
  return { stack, out: out ?? path.join(repoRoot, "out", stack), overrides };
}

export async function renderToDirectory(cli: RenderCli): Promise<string[]> {
  const run = await runStack(cli.stack, cli.overrides);
  const files = renderFiles(run);
  fs.rmSync(cli.out, { recursive: true, force: true });
  fs.mkdirSync(cli.out, { recursive: true });
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
      // A config error is the user's to fix: its message alone, no stack trace.
      console.error(isConfigError(error) ? error.message : error instanceof Error ? error.message : String(error));
      process.exit(isConfigError(error) ? 2 : 1);
    }
  })();
}
