// npm run bench: every measurement in fresh processes, in one run, the arms of each comparison alternating round
// by round, reported as median (min–max) and as ratios taken within each round. What is measured runs compiled
// (bench/compile.ts: tsc into out/bench/, then plain Node), as `pulumi up` runs a built program; ts-node arms are
// labelled as such.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stackNames } from "../tools/stackConfig";
import { compileBench } from "./compile";
import { CompiledPath, criticalPathReport, scaleReport } from "./delivery";
import { formatSpread, interleave, ratioSpread, spread } from "./interleave";
import type { Breakdown } from "./requireBreakdown";
import { stackConfigEnv } from "./stackConfigEnv";

const rounds = Number(process.env.BENCH_REPEATS ?? 5);
const root = path.resolve(__dirname, "..");
const measureSource = path.join(__dirname, "measure.ts");

interface Sample {
  ms: number;
  rssMb: number;
}

/** One arm: a mode of measure.ts, how it runs (compiled by default, or TypeScript through a ts-node register), extra env. */
interface Arm {
  mode: string;
  register?: string;
  env?: Record<string, string>;
}

function runArm(compiled: CompiledPath, arm: Arm): string {
  const args = arm.register === undefined ? [compiled(measureSource), arm.mode] : ["--require", arm.register, measureSource, arm.mode];
  return execFileSync(process.execPath, args, { cwd: root, env: { ...process.env, PULUMI_CONFIG: "{}", ...arm.env } }).toString();
}

/** Runs the arms round by round; prints each against the first. */
function compare(compiled: CompiledPath, title: string, arms: Record<string, Arm>, targets: Record<string, number> = {}): Map<string, Sample[]> {
  console.log(`\n${title}`);
  const names = Object.keys(arms);
  const samples = interleave(names, rounds, (name) => JSON.parse(runArm(compiled, arms[name])) as Sample);
  const base = samples.get(names[0])!.map((s) => s.ms);
  for (const name of names) {
    const runs = samples.get(name)!;
    const ratio = ratioSpread(runs.map((s) => s.ms), base);
    const target = targets[name];
    const verdict = target === undefined ? "" : `  (target ≤ ${target}×: ${ratio.median <= target ? "met" : "MISSED"})`;
    console.log(
      `${name.padEnd(40)} ${formatSpread(spread(runs.map((s) => s.ms)), 0, " ms").padStart(22)}  ${formatSpread(ratio, 2, "×").padStart(20)}  peak ${formatSpread(spread(runs.map((s) => s.rssMb)), 0, " MB")}${verdict}`,
    );
  }
  return samples;
}

/**
 * Where evaluating a stack goes, compiled, beside loading the two SDKs: Node's startup, require() per package (its
 * own files), and the evaluation proper; medians over the rounds, the two modes alternating.
 */
function breakdownReport(compiled: CompiledPath, stack: string): void {
  const modes = ["baseline", stack];
  const samples = interleave(modes, rounds, (mode) => JSON.parse(runArm(compiled, { mode: `breakdown:${mode}`, env: stackConfigEnv(stack) })) as Breakdown);
  const median = (xs: number[]) => spread(xs).median;
  const summary = (runs: Breakdown[]) => {
    const byPackage = new Map([...new Set(runs.flatMap((r) => Object.keys(r.requireMs)))].map((pkg) => [pkg, median(runs.map((r) => r.requireMs[pkg] ?? 0))]));
    const required = [...byPackage.values()].reduce((a, b) => a + b, 0);
    const total = median(runs.map((r) => r.totalMs));
    const startup = median(runs.map((r) => r.startupMs));
    return { byPackage, required, total, startup, evaluation: total - startup - required, files: runs[0].files };
  };
  const base = summary(samples.get("baseline")!);
  const program = summary(samples.get(stack)!);
  console.log(`\nWhere evaluating stack ${stack} goes, compiled, beside loading the two SDKs (${rounds} rounds each, alternating, medians):`);
  const line = (label: string, b: number, p: number, files = "") =>
    console.log(`  ${label.padEnd(42)} ${b.toFixed(0).padStart(6)} ms ${p.toFixed(0).padStart(6)} ms ${(p - b).toFixed(0).padStart(6)} ms  ${files}`);
  console.log(`  ${"".padEnd(42)} ${"SDKs".padStart(9)} ${`stack ${stack}`.padStart(9)} ${"extra".padStart(9)}`);
  line("total (from process start)", base.total, program.total);
  line("Node startup", base.startup, program.startup);
  line("require(), all packages", base.required, program.required);
  const packages = [...program.byPackage.keys()].sort((a, b) => (program.byPackage.get(b) ?? 0) - (program.byPackage.get(a) ?? 0));
  let othersBase = 0;
  let othersProgram = 0;
  for (const pkg of packages) {
    const b = base.byPackage.get(pkg) ?? 0;
    const p = program.byPackage.get(pkg) ?? 0;
    if (p >= 10 || p - b >= 5) line(`  ${pkg}`, b, p, `${program.files[pkg]} files${base.files[pkg] ? "" : ", not loaded by the SDKs"}`);
    else {
      othersBase += b;
      othersProgram += p;
    }
  }
  line("  every other package", othersBase, othersProgram);
  line("evaluation (creating the resources)", base.evaluation, program.evaluation);
  const notLoaded = ["@grafana/grafana-foundation-sdk", "yaml"].filter((pkg) => !program.files[pkg]);
  if (notLoaded.length > 0) console.log(`  not loaded by stack ${stack}: ${notLoaded.join(", ")}`);
}

/** `npm run bench -- scale breakdown` runs only those sections; no names, every one. */
const sections = ["stacks", "breakdown", "entry", "load", "scale", "critical-path"];
const wanted = process.argv.slice(2);
for (const name of wanted) if (!sections.includes(name)) throw new Error(`unknown bench section ${name} (known: ${sections.join(", ")})`);
const runs = (section: string) => wanted.length === 0 || wanted.includes(section);

function main(): void {
  console.log(`Node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}, ${new Date().toISOString()}.`);
  console.log("Compiling what is measured (bench/tsconfig.json → out/bench/) ...");
  const compiled = compileBench();
  console.log(`Each figure: ${rounds} fresh processes per arm, arms alternating round by round; wall time from process start;`);
  console.log("median (min–max); a ratio is taken within each round, then summarised. Compiled JavaScript under plain Node unless an arm says ts-node.");

  let missed = false;
  if (runs("stacks")) {
    const stackArms: Record<string, Arm> = {
      "baseline (load the two SDKs)": { mode: "baseline" },
      "one Deployment under mocks (floor)": { mode: "one-deployment" },
    };
    const prodResources = (JSON.parse(runArm(compiled, { mode: "count:prod", env: stackConfigEnv("prod") })) as { resources: number }).resources;
    stackArms[`SDK floor: ${prodResources} resources as bare ConfigMaps`] = { mode: `sdk-floor:${prodResources}` };
    for (const stack of stackNames()) stackArms[`stack ${stack}`] = { mode: stack, env: stackConfigEnv(stack) };
    stackArms["stack prod under ts-node (not compiled)"] = { mode: "prod", register: "ts-node/register/transpile-only", env: stackConfigEnv("prod") };
    const stacks = compare(compiled, "Stack evaluation under mocks vs loading @pulumi/pulumi + @pulumi/kubernetes:", stackArms, { "stack prod": 1.3 });
    const prodRatio = ratioSpread(stacks.get("stack prod")!.map((s) => s.ms), stacks.get(Object.keys(stackArms)[0])!.map((s) => s.ms));
    if (prodRatio.median > 1.3) missed = true;
  }
  if (runs("breakdown")) breakdownReport(compiled, "prod");

  if (runs("entry")) {
    compare(compiled, "Loading the package entry (components/index.ts) vs the two SDKs it builds on:", {
      "baseline (load the two SDKs)": { mode: "baseline" },
      "require the package entry": { mode: "require-entry" },
    });
  }

  if (runs("load")) {
    // The same tsconfig without ts-node's swc mode: what `typescript: true` (ts-node's type-checking default) costs.
    const typeCheckConfig = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bench-")), "tsconfig.json");
    // Type-checking needs node16 resolution (Grafana SDK subpaths); the root tsconfig's ts-node override (commonjs) only transpiles.
    const tsNode = { swc: false, transpileOnly: false, compilerOptions: { module: "node16", moduleResolution: "node16" } };
    fs.writeFileSync(typeCheckConfig, JSON.stringify({ extends: path.join(root, "tsconfig.json"), "ts-node": tsNode }));
    compare(compiled, "Loading the program as `pulumi up` does: compiled, ts-node transpile-only, ts-node type-checking:", {
      "compiled (plain Node)": { mode: "load-program" },
      "ts-node transpile-only + swc (nodeargs)": { mode: "load-program", register: "ts-node/register/transpile-only" },
      "ts-node type-check (its default)": { mode: "load-program", register: "ts-node/register", env: { TS_NODE_PROJECT: typeCheckConfig } },
    });
  }

  if (runs("scale") && !scaleReport(compiled, rounds)) missed = true;
  // An avoidable wait is reported, not failed: the per-type seconds are assumptions, not measurements.
  if (runs("critical-path")) criticalPathReport(compiled, stackNames());
  if (missed) process.exitCode = 1;
}

main();
