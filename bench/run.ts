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

/** Where evaluating a stack goes, compiled: require() per package (own files only), ours, and the rest; medians over the rounds. */
function breakdownReport(compiled: CompiledPath, stack: string): void {
  const runs = Array.from({ length: rounds }, () => JSON.parse(runArm(compiled, { mode: `breakdown:${stack}`, env: stackConfigEnv(stack) })) as Breakdown);
  const median = (xs: number[]) => spread(xs).median;
  const total = median(runs.map((r) => r.totalMs));
  const packages = [...new Set(runs.flatMap((r) => Object.keys(r.requireMs)))];
  const rows = packages
    .map((pkg) => ({ pkg, ms: median(runs.map((r) => r.requireMs[pkg] ?? 0)), files: runs[0].files[pkg] ?? 0 }))
    .sort((a, b) => b.ms - a.ms);
  const required = rows.reduce((sum, r) => sum + r.ms, 0);
  const startup = median(runs.map((r) => r.startupMs));
  console.log(`\nWhere evaluating stack ${stack} goes, compiled (${rounds} processes, medians; require() time of each package's own files):`);
  console.log(`total ${total.toFixed(0)} ms = Node startup ${startup.toFixed(0)} ms + require() ${required.toFixed(0)} ms + evaluation ${(total - startup - required).toFixed(0)} ms`);
  for (const row of rows.filter((r) => r.ms >= 1)) {
    console.log(`  ${row.pkg.padEnd(44)} ${row.ms.toFixed(0).padStart(5)} ms  ${((100 * row.ms) / total).toFixed(1).padStart(5)} %  ${String(row.files).padStart(4)} files`);
  }
  const notLoaded = ["@grafana/grafana-foundation-sdk", "yaml"].filter((pkg) => !runs[0].files[pkg]);
  if (notLoaded.length > 0) console.log(`  not loaded: ${notLoaded.join(", ")}`);
}

function main(): void {
  console.log(`Node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}.`);
  console.log("Compiling what is measured (bench/tsconfig.json → out/bench/) ...");
  const compiled = compileBench();
  console.log(`Each figure: ${rounds} fresh processes per arm, arms alternating round by round; wall time from process start;`);
  console.log("median (min–max); a ratio is taken within each round, then summarised. Compiled JavaScript under plain Node unless an arm says ts-node.");

  let missed = false;
  const stackArms: Record<string, Arm> = {
    "baseline (load the two SDKs)": { mode: "baseline" },
    "one Deployment under mocks (floor)": { mode: "one-deployment" },
  };
  for (const stack of stackNames()) stackArms[`stack ${stack}`] = { mode: stack, env: stackConfigEnv(stack) };
  stackArms["stack prod under ts-node (not compiled)"] = { mode: "prod", register: "ts-node/register/transpile-only", env: stackConfigEnv("prod") };
  const stacks = compare(compiled, "Stack evaluation under mocks vs loading @pulumi/pulumi + @pulumi/kubernetes:", stackArms, { "stack prod": 1.3 });
  const prodRatio = ratioSpread(stacks.get("stack prod")!.map((s) => s.ms), stacks.get(Object.keys(stackArms)[0])!.map((s) => s.ms));
  if (prodRatio.median > 1.3) missed = true;
  breakdownReport(compiled, "prod");

  compare(compiled, "Loading the package entry (components/index.ts) vs the two SDKs it builds on:", {
    "baseline (load the two SDKs)": { mode: "baseline" },
    "require the package entry": { mode: "require-entry" },
  });

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

  if (!scaleReport(compiled, rounds)) missed = true;
  // An avoidable wait is reported, not failed: the per-type seconds are assumptions, not measurements.
  criticalPathReport(compiled, stackNames());
  if (missed) process.exitCode = 1;
}

main();
