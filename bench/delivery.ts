// The scale and critical-path benches of `npm run bench`: fresh processes (bench/measureDelivery.ts), ratios printed.
import { execFileSync } from "child_process";
import * as path from "path";
import { CriticalPath, secondsFor } from "./criticalPath";

const measureScript = path.join(__dirname, "measureDelivery.ts");

function measure<T>(mode: string, stack: string): T {
  const out = execFileSync(process.execPath, ["--expose-gc", "--require", "ts-node/register/transpile-only", measureScript, mode, stack], {
    cwd: path.resolve(__dirname, ".."),
    env: { ...process.env, PULUMI_CONFIG: "{}" },
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

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** One platform with 1, 10 and 100 WebSocket apps: wall time, program evaluation time and peak RSS. Returns false when a goal is missed. */
export function scaleReport(repeats: number, stack = "prod"): boolean {
  const goalRatio = 10;
  const goalMb = 300;
  console.log(`\nScale: one ${stack} platform with N WebSocket apps (median of ${repeats} fresh processes; goal: 100 apps ≤ ${goalRatio}× one app, < ${goalMb} MB):`);
  const samples = new Map<number, ScaleSample>();
  for (const apps of [1, 10, 100]) {
    const runs = Array.from({ length: repeats }, () => measure<ScaleSample>(`scale:${apps}`, stack));
    samples.set(apps, {
      ms: median(runs.map((r) => r.ms)),
      evalMs: median(runs.map((r) => r.evalMs)),
      rssMb: median(runs.map((r) => r.rssMb)),
      retainedHeapMb: median(runs.map((r) => r.retainedHeapMb)),
      resources: runs[0].resources,
    });
  }
  const one = samples.get(1)!;
  for (const [apps, s] of samples) {
    console.log(
      `${`${apps} app${apps === 1 ? "" : "s"}`.padEnd(9)} ${String(s.resources).padStart(4)} resources  wall ${s.ms.toFixed(0).padStart(5)} ms ${(s.ms / one.ms).toFixed(2).padStart(6)}×  evaluation ${s.evalMs.toFixed(0).padStart(5)} ms ${(s.evalMs / one.evalMs).toFixed(2).padStart(6)}×  peak ${s.rssMb.toFixed(0).padStart(4)} MB  retained heap ${s.retainedHeapMb.toFixed(0).padStart(3)} MB`,
    );
  }
  const hundred = samples.get(100)!;
  const ratioMet = hundred.ms / one.ms <= goalRatio;
  const memoryMet = hundred.rssMb < goalMb;
  console.log(`100 apps: wall ${(hundred.ms / one.ms).toFixed(2)}× (${ratioMet ? "met" : "MISSED"}), peak ${hundred.rssMb.toFixed(0)} MB (${memoryMet ? "met" : "MISSED"})`);
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
export function criticalPathReport(stacks: string[]): boolean {
  console.log("\nCritical path of `pulumi up` (dependency graph from a mock run; per-type seconds in bench/criticalPath.ts):");
  let clean = true;
  for (const stack of stacks) {
    const cp = measure<CriticalPath>("critical-path", stack);
    console.log(`stack ${stack}: longest chain ${cp.chainSeconds} s of ${cp.serialSeconds} s for all ${cp.resources} resources = ${(cp.chainSeconds / cp.serialSeconds).toFixed(2)}`);
    console.log(`  ${cp.chain.map((k) => `${shortName(k)} (${secondsFor(k.split("::")[0])} s)`).join(" → ")}`);
    for (const [dependency, dependent] of avoidableWaits(cp.chain)) {
      clean = false;
      console.log(`  avoidable wait: ${shortName(dependent)} waits for ${shortName(dependency)} (${secondsFor(dependency.split("::")[0])} s)`);
    }
  }
  return clean;
}
