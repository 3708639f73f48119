// npm run bench: every measurement in fresh processes, in one run, reported as ratios against a baseline.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stackNames } from "../tools/stackConfig";
import { criticalPathReport, scaleReport } from "./delivery";

const repeats = Number(process.env.BENCH_REPEATS ?? 5);
const measureScript = path.join(__dirname, "measure.ts");

interface Sample {
  ms: number;
  rssMb: number;
}

/** Median of `repeats` fresh processes; `register` is how ts-node loads TypeScript (as `pulumi up` does). */
function sample(mode: string, register = "ts-node/register/transpile-only", env: Record<string, string> = {}): Sample {
  const runs: Sample[] = [];
  for (let i = 0; i < repeats; i++) {
    const out = execFileSync(process.execPath, ["--require", register, measureScript, mode], {
      cwd: path.resolve(__dirname, ".."),
      env: { ...process.env, PULUMI_CONFIG: "{}", ...env },
    }).toString();
    runs.push(JSON.parse(out) as Sample);
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { ms: median(runs.map((r) => r.ms)), rssMb: median(runs.map((r) => r.rssMb)) };
}

function row(name: string, s: Sample, base: Sample, target?: number): string {
  const ratio = s.ms / base.ms;
  const verdict = target === undefined ? "" : ratio <= target ? `  (target ≤ ${target}×: met)` : `  (target ≤ ${target}×: MISSED)`;
  return `${name.padEnd(34)} ${s.ms.toFixed(0).padStart(6)} ms  ${ratio.toFixed(2).padStart(5)}×  peak ${s.rssMb.toFixed(0).padStart(4)} MB${verdict}`;
}

function main(): void {
  console.log(`Each figure: median of ${repeats} fresh Node ${process.version} processes, wall time from process start.`);
  const baseline = sample("baseline");
  console.log("\nStack evaluation under mocks vs loading @pulumi/pulumi + @pulumi/kubernetes:");
  console.log(row("baseline (load the two SDKs)", baseline, baseline));
  const floor = sample("one-deployment");
  console.log(row("one Deployment under mocks (floor)", floor, baseline));
  let missed = false;
  for (const stack of stackNames()) {
    const s = sample(stack);
    const target = stack === "prod" ? 1.3 : undefined;
    if (target !== undefined && s.ms / baseline.ms > target) missed = true;
    console.log(`${row(`stack ${stack}`, s, baseline, target)}  ${(s.ms / floor.ms).toFixed(2)}× the floor`);
  }
  console.log("\nLoading the program as `pulumi up` does, type-check vs transpile-only (Pulumi.yaml runtime options):");
  const transpile = sample("load-program");
  // The same tsconfig without ts-node's swc mode: what `typescript: true` (ts-node's type-checking default) costs.
  const typeCheckConfig = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bench-")), "tsconfig.json");
  // Type-checking needs node16 resolution (Grafana SDK subpaths); the root tsconfig's ts-node override (commonjs) only transpiles.
  const tsNode = { swc: false, transpileOnly: false, compilerOptions: { module: "node16", moduleResolution: "node16" } };
  fs.writeFileSync(typeCheckConfig, JSON.stringify({ extends: path.resolve(__dirname, "../tsconfig.json"), "ts-node": tsNode }));
  const typeCheck = sample("load-program", "ts-node/register", { TS_NODE_PROJECT: typeCheckConfig });
  console.log(row("transpile-only + swc (our nodeargs)", transpile, transpile));
  console.log(row("type-check (ts-node default)", typeCheck, transpile));
  if (!scaleReport(repeats)) missed = true;
  // An avoidable wait is reported, not failed: the per-type seconds are assumptions, not measurements.
  criticalPathReport(stackNames());
  if (missed) process.exitCode = 1;
}

main();
