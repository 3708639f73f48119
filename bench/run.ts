// npm run bench: every measurement in fresh processes, in one run, the arms of each comparison alternating round
// by round, reported as median (min–max) and as ratios taken within each round.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stackNames } from "../tools/stackConfig";
import { criticalPathReport, scaleReport } from "./delivery";
import { formatSpread, interleave, ratioSpread, spread } from "./interleave";

const rounds = Number(process.env.BENCH_REPEATS ?? 5);
const root = path.resolve(__dirname, "..");
const measureScript = path.join(__dirname, "measure.ts");
const transpileOnly = "ts-node/register/transpile-only";

interface Sample {
  ms: number;
  rssMb: number;
}

/** One arm: a mode of measure.ts, how TypeScript is loaded (null: plain Node requires the file `mode` names), extra env. */
interface Arm {
  mode: string;
  register?: string | null;
  env?: Record<string, string>;
}

/** The compiled build's counterpart of measure.ts `load-program`: plain Node requires one file, nothing else loaded. */
const plainLoad =
  'const { performance } = require("perf_hooks"); require(require("path").resolve(process.argv[1]));' +
  "process.stdout.write(JSON.stringify({ ms: performance.now(), rssMb: process.resourceUsage().maxRSS / 1024 }));";

function runArm(arm: Arm): Sample {
  const register = arm.register === undefined ? transpileOnly : arm.register;
  const args = register === null ? ["-e", plainLoad, arm.mode] : ["--require", register, measureScript, arm.mode];
  const out = execFileSync(process.execPath, args, { cwd: root, env: { ...process.env, PULUMI_CONFIG: "{}", ...arm.env } }).toString();
  return JSON.parse(out) as Sample;
}

/** Runs the arms round by round; prints each against the first. */
function compare(title: string, arms: Record<string, Arm>, targets: Record<string, number> = {}): Map<string, Sample[]> {
  console.log(`\n${title}`);
  const names = Object.keys(arms);
  const samples = interleave(names, rounds, (name) => runArm(arms[name]));
  const base = samples.get(names[0])!.map((s) => s.ms);
  for (const name of names) {
    const runs = samples.get(name)!;
    const ratio = ratioSpread(runs.map((s) => s.ms), base);
    const target = targets[name];
    const verdict = target === undefined ? "" : `  (target ≤ ${target}×: ${ratio.median <= target ? "met" : "MISSED"})`;
    console.log(
      `${name.padEnd(38)} ${formatSpread(spread(runs.map((s) => s.ms)), 0, " ms").padStart(22)}  ${formatSpread(ratio, 2, "×").padStart(20)}  peak ${formatSpread(spread(runs.map((s) => s.rssMb)), 0, " MB")}${verdict}`,
    );
  }
  return samples;
}

function main(): void {
  console.log(`Node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}.`);
  console.log(`Each figure: ${rounds} fresh processes per arm, arms alternating round by round; wall time from process start;`);
  console.log("median (min–max); a ratio is taken within each round, then summarised.");

  let missed = false;
  const stackArms: Record<string, Arm> = {
    "baseline (load the two SDKs)": { mode: "baseline" },
    "one Deployment under mocks (floor)": { mode: "one-deployment" },
  };
  for (const stack of stackNames()) stackArms[`stack ${stack}`] = { mode: stack };
  const stacks = compare("Stack evaluation under mocks vs loading @pulumi/pulumi + @pulumi/kubernetes:", stackArms, { "stack prod": 1.3 });
  const prodRatio = ratioSpread(stacks.get("stack prod")!.map((s) => s.ms), stacks.get(Object.keys(stackArms)[0])!.map((s) => s.ms));
  if (prodRatio.median > 1.3) missed = true;

  compare("Loading the package entry (components/index.ts) vs the two SDKs it builds on:", {
    "baseline (load the two SDKs)": { mode: "baseline" },
    "require the package entry": { mode: "require-entry" },
  });

  // The same tsconfig without ts-node's swc mode: what `typescript: true` (ts-node's type-checking default) costs.
  const typeCheckConfig = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bench-")), "tsconfig.json");
  // Type-checking needs node16 resolution (Grafana SDK subpaths); the root tsconfig's ts-node override (commonjs) only transpiles.
  const tsNode = { swc: false, transpileOnly: false, compilerOptions: { module: "node16", moduleResolution: "node16" } };
  fs.writeFileSync(typeCheckConfig, JSON.stringify({ extends: path.join(root, "tsconfig.json"), "ts-node": tsNode }));
  const loadArms: Record<string, Arm> = {
    "transpile-only + swc (our nodeargs)": { mode: "load-program" },
    "type-check (ts-node default)": { mode: "load-program", register: "ts-node/register", env: { TS_NODE_PROJECT: typeCheckConfig } },
  };
  // The compiled build's program, where `npm run build` put it (the layout of dist/ mirrors the sources).
  const compiledProgram = ["dist/stacks/index.js", "dist/index.js"].find((f) => fs.existsSync(path.join(root, f)));
  if (compiledProgram) loadArms["compiled (dist/, plain Node)"] = { mode: compiledProgram, register: null };
  compare("Loading the program as `pulumi up` does, type-check vs transpile-only (Pulumi.yaml runtime options):", loadArms);
  if (!compiledProgram) console.log("compiled program: not measured, there is no compiled build in dist/ (npm run build writes one).");

  if (!scaleReport(rounds)) missed = true;
  // An avoidable wait is reported, not failed: the per-type seconds are assumptions, not measurements.
  criticalPathReport(stackNames());
  if (missed) process.exitCode = 1;
}

main();
