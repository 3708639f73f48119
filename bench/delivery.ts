// The scale and critical-path benches of `npm run bench`: fresh processes (bench/measureDelivery.ts), ratios printed.
import { execFileSync } from "child_process";
import * as path from "path";
import { CriticalPath, secondsFor } from "./criticalPath";
import { formatSpread, interleave, ratioSpread, spread } from "./interleave";
import { defaultScaleProgram } from "./scaleProgram";
import { stackConfigEnv } from "./stackConfigEnv";

/** The compiled measureDelivery.ts (bench/compile.ts), run with plain Node. */
export type CompiledPath = (sourceFile: string) => string;

function measure<T>(compiled: CompiledPath, mode: string, stack: string): T {
  const out = execFileSync(process.execPath, ["--expose-gc", compiled(path.join(__dirname, "measureDelivery.ts")), mode, stack], {
    cwd: path.resolve(__dirname, ".."),
    env: { ...process.env, PULUMI_CONFIG: "{}", ...stackConfigEnv(stack) },
  }).toString();
  return JSON.parse(out) as T;
}

interface ScaleSample {
  ms: number;
  evalMs: number;
  rssMb: number;
  retainedHeapMb: number;
  resources: number;
}

const appCounts = [1, 10, 100, 300];

/** Resources registered by `apps` apps, from runs of 1 and 2 (each app adds the same set); checked against every run. */
function resourceCounts(compiled: CompiledPath, stack: string, program: string): (apps: number) => number {
  const [one, two] = [1, 2].map((apps) => measure<ScaleSample>(compiled, `scale:${program}:${apps}`, stack).resources);
  return (apps) => one + (apps - 1) * (two - one);
}

/**
 * 1, 10, 100 and 300 WebSocket apps (compiled, plain Node), and for each size the SDK's floor: as many bare
 * ConfigMaps under the same mocks (bench/sdkFloor.ts). Every arm alternates round by round: wall time, program
 * evaluation time, peak RSS, heap retained after GC. `program` names a shape of scaleProgram.ts. Returns false when
 * a goal is missed.
 */
export function scaleReport(compiled: CompiledPath, rounds: number, stack = "prod", program = defaultScaleProgram): boolean {
  const goalRatio = 10;
  const goalMb = 300;
  console.log(
    `\nScale, compiled: ${program} on stack ${stack}, N WebSocket apps, and the SDK floor: as many bare ConfigMaps under the same mocks ` +
      `(${rounds} rounds, arms alternating; median (min–max); goal: 100 apps' evaluation ≤ ${goalRatio}× one app's, peak < ${goalMb} MB):`,
  );
  const resourcesOf = resourceCounts(compiled, stack, program);
  const arms = appCounts.flatMap((apps) => [`apps:${apps}`, `floor:${apps}`]);
  const samples = interleave(arms, rounds, (arm) => {
    const [kind, apps] = arm.split(":");
    const sample = measure<ScaleSample>(compiled, kind === "apps" ? `scale:${program}:${apps}` : `scale:floor:${resourcesOf(Number(apps))}`, stack);
    if (sample.resources !== resourcesOf(Number(apps))) throw new Error(`${arm}: ${sample.resources} resources, ${resourcesOf(Number(apps))} expected`);
    return sample;
  });
  const one = samples.get("apps:1")!.map((s) => s.evalMs);
  const row = (label: string, runs: ScaleSample[]) => {
    const of = (pick: (s: ScaleSample) => number) => runs.map(pick);
    console.log(
      `${label.padEnd(16)} ${String(runs[0].resources).padStart(5)} resources  wall ${formatSpread(spread(of((s) => s.ms)), 0, " ms")}  ` +
        `evaluation ${formatSpread(spread(of((s) => s.evalMs)), 0, " ms")} = ${formatSpread(ratioSpread(of((s) => s.evalMs), one), 2, "×")} one app's  ` +
        `peak ${formatSpread(spread(of((s) => s.rssMb)), 0, " MB")}  retained heap ${formatSpread(spread(of((s) => s.retainedHeapMb)), 0, " MB")}`,
    );
  };
  for (const apps of appCounts) {
    const ours = samples.get(`apps:${apps}`)!;
    const floor = samples.get(`floor:${apps}`)!;
    row(`${apps} app${apps === 1 ? "" : "s"}`, ours);
    row("  SDK floor", floor);
    console.log(`${"".padEnd(16)} apps / floor: evaluation ${formatSpread(ratioSpread(ours.map((s) => s.evalMs), floor.map((s) => s.evalMs)), 2, "×")}`);
  }
  const hundred = samples.get("apps:100")!;
  const hundredFloor = samples.get("floor:100")!;
  // Evaluation, not wall: the fixed SDK load would hide the growth.
  const evalRatio = ratioSpread(hundred.map((s) => s.evalMs), one);
  const peak = spread(hundred.map((s) => s.rssMb));
  const ratioMet = evalRatio.median <= goalRatio;
  const memoryMet = peak.median < goalMb;
  console.log(
    `100 apps: evaluation ${formatSpread(evalRatio, 2, "×")} (${ratioMet ? "met" : "MISSED"}), peak ${formatSpread(peak, 0, " MB")} (${memoryMet ? "met" : "MISSED"}), medians against the goals`,
  );
  console.log(
    `the SDK floor for as many resources: evaluation ${formatSpread(ratioSpread(hundredFloor.map((s) => s.evalMs), one), 2, "×")} one app's, ` +
      `peak ${formatSpread(spread(hundredFloor.map((s) => s.rssMb)), 0, " MB")}: a goal below these cannot be met by this package`,
  );
  return ratioMet && memoryMet;
}

const shortName = (key: string) => {
  const [type, name] = key.split("::");
  return `${type.split(":").pop()} ${name}`;
};

const builtInKinds = /^kubernetes:(core|apps|batch|policy|networking\.k8s\.io|rbac\.authorization\.k8s\.io)\//;

/**
 * Waits the engine cannot skip: a namespace before what lives in it, CRDs before what uses or watches them, a chart
 * (its CRDs and webhooks) before custom resources and the Ingresses it serves, a ServiceAccount before its pods, and the smoke-test Job after
 * everything it tests end to end.
 */
export function unavoidable(dependency: string, dependent: string): boolean {
  const depType = dependency.split("::")[0];
  const type = dependent.split("::")[0];
  if (depType === "kubernetes:core/v1:Namespace") return true;
  if (depType === "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition") return true;
  // An Ingress's await ends only when its controller publishes an address (and ingress-nginx's webhook rejects it before).
  if (depType === "kubernetes:helm.sh/v3:Release" && type === "kubernetes:networking.k8s.io/v1:Ingress") return true;
  // A chart that ships cert-manager objects (prometheus-adapter's APIService certificate) needs cert-manager's webhook.
  if (depType === "kubernetes:helm.sh/v3:Release" && type === depType) return /cert-manager/.test(dependency) && /prometheus-adapter/.test(dependent);
  // Other built-in kinds need no chart.
  if (depType === "kubernetes:helm.sh/v3:Release") return !builtInKinds.test(type);
  if (depType === "kubernetes:core/v1:ServiceAccount") return /^kubernetes:(apps|batch)\/v1:/.test(type);
  if (type === "kubernetes:batch/v1:Job") return true;
  return false;
}

/** Links of a chain that need not be there: each as [dependency, dependent]. */
export function avoidableWaits(chain: string[]): [string, string][] {
  return chain.slice(1).flatMap((key, i): [string, string][] => (unavoidable(chain[i], key) ? [] : [[chain[i], key]]));
}

/** Longest creation chain vs creating everything one by one, per stack; returns false when an avoidable wait lies on a chain. */
export function criticalPathReport(compiled: CompiledPath, stacks: string[]): boolean {
  console.log("\nCritical path of `pulumi up` (dependency graph from a mock run; per-type seconds in bench/criticalPath.ts):");
  let clean = true;
  for (const stack of stacks) {
    const cp = measure<CriticalPath>(compiled, "critical-path", stack);
    console.log(`stack ${stack}: longest chain ${cp.chainSeconds} s of ${cp.serialSeconds} s for all ${cp.resources} resources = ${(cp.chainSeconds / cp.serialSeconds).toFixed(2)}`);
    console.log(`  ${cp.chain.map((k) => `${shortName(k)} (${secondsFor(k.split("::")[0])} s)`).join(" → ")}`);
    for (const [dependency, dependent] of avoidableWaits(cp.chain)) {
      clean = false;
      console.log(`  avoidable wait: ${shortName(dependent)} waits for ${shortName(dependency)} (${secondsFor(dependency.split("::")[0])} s)`);
    }
  }
  return clean;
}
