import { z } from "zod";
import { EnvironmentDefaults } from "../environment";
import { FreeformValues, SameShape, dnsLabel } from "./common";

/** What turns the active-connections series into scaling decisions. */
export const AutoscalingEngine = { keda: "keda", prometheusAdapter: "prometheus-adapter" } as const;
export type AutoscalingEngine = (typeof AutoscalingEngine)[keyof typeof AutoscalingEngine];

/** How fast the replica count may move in one direction (HPA `behavior.scaleUp` / `scaleDown`). */
export interface ScalingRateArgs {
  /** Seconds of recommendations the HPA looks back over before it moves (the most conservative one wins). */
  stabilizationWindowSeconds?: number;
  /** At most this percentage of the current replicas per period. */
  percent?: number;
  /** At most this many pods per period. */
  pods?: number;
  /** Length of one period, in seconds. */
  periodSeconds?: number;
}

/** Arguments of the autoscaling on live connections part: `autoscaling` in stack config. */
/** What the cluster part decides: which engine runs, and how it is installed. */
export interface AutoscalingEngineArgs {
  /** keda (default) or prometheus-adapter. */
  engine?: AutoscalingEngine;
  /** Install the engine with Helm; false when the cluster already runs it. */
  install?: boolean;
  /** Namespace the engine is installed in; defaults to `keda` or `prometheus-adapter`. */
  installNamespace?: string;
  /** Prometheus the scaler queries, e.g. kube-prometheus-stack's Service. */
  prometheusUrl?: string;
  /** Helm values for the engine's chart, merged over ours, for what this package does not model. */
  chartValues?: FreeformValues;
}

/** What each app decides: whether and how its Deployment scales. */
export interface AppAutoscalingArgs {
  /** Whether this part is deployed. */
  enabled?: boolean;
  /** Prometheus the scaler queries, e.g. kube-prometheus-stack's Service. */
  prometheusUrl?: string;
  /** Fewest replicas; at least 2 outside dev. */
  minReplicas?: number;
  /** Most replicas. */
  maxReplicas?: number;
  /** Target average of open connections per pod. */
  targetConnectionsPerPod?: number;
  /** Target average CPU use, in percent of the request. */
  cpuUtilization?: number;
  /** Target average memory use, in percent of the request; memory is not a scaling signal unless this is set. */
  memoryUtilization?: number;
  scaleUp?: ScalingRateArgs;
  scaleDown?: ScalingRateArgs;
}

/** Arguments of the autoscaling part of a one-app platform: `autoscaling` in stack config. */
export interface AutoscalingArgs extends AutoscalingEngineArgs, AppAutoscalingArgs {}

const scalingRate = (defaults: Required<ScalingRateArgs>, direction: string) =>
  z
    .strictObject({
      stabilizationWindowSeconds: z
        .number()
        .int()
        .min(0)
        .max(3600)
        .default(defaults.stabilizationWindowSeconds)
        .describe(`Seconds the HPA looks back before it scales ${direction}.`),
      percent: z.number().int().min(1).max(1000).default(defaults.percent).describe(`At most this percent of current replicas per period (scale ${direction}).`),
      pods: z.number().int().min(1).max(1000).default(defaults.pods).describe(`At most this many pods per period (scale ${direction}).`),
      periodSeconds: z.number().int().min(1).max(1800).default(defaults.periodSeconds).describe(`Length of one period, in seconds (scale ${direction}).`),
    })
    .default(defaults);

// Fast up: react within one HPA sync (the guide waited 60 s); the rate still caps growth at +50 % or +5 pods a minute.
export const scaleUpDefaults = { stabilizationWindowSeconds: 0, percent: 50, pods: 5, periodSeconds: 60 } as const;
// Slow down: every removed pod disconnects its clients, so wait 5 minutes and remove at most 10 % or 2 pods a minute (guide).
export const scaleDownDefaults = { stabilizationWindowSeconds: 300, percent: 10, pods: 2, periodSeconds: 60 } as const;

const prometheusUrl = z
  .url({ protocol: /^https?$/, error: "an http(s) URL such as http://kube-prometheus-stack-prometheus.monitoring.svc:9090" })
  .default("http://kube-prometheus-stack-prometheus.monitoring.svc:9090")
  .describe("Prometheus the scaler queries (kube-prometheus-stack's Service by default).");

/** The engine keys (cluster part). */
export const autoscalingEngineShape = {
  engine: z.enum(AutoscalingEngine).default("keda").describe("keda (ScaledObject; KEDA owns the HPA) or prometheus-adapter (custom metrics API + HPA)."),
  install: z.boolean().default(true).describe("Install the engine with Helm; false when the cluster already runs it."),
  installNamespace: dnsLabel.optional().describe("Namespace for the engine's Helm release; default keda or prometheus-adapter."),
  prometheusUrl,
  chartValues: z.record(z.string(), z.unknown()).default({}).describe("Helm values for the engine's chart, merged over ours."),
};

/** The scaling keys (app part). */
export const appAutoscalingShape = {
  enabled: z.boolean().default(false).describe("Autoscaling on live connections: on or off."),
  prometheusUrl,
  minReplicas: z.number().int().min(1).max(1000).default(2).describe("Fewest replicas; at least 2 outside dev."),
  maxReplicas: z.number().int().min(1).max(1000).default(20).describe("Most replicas; at least minReplicas."),
  targetConnectionsPerPod: z
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .default(1000)
    .describe("Target average of open connections per pod; below app.maxConnectionsPerPod."),
  cpuUtilization: z.number().int().min(1).max(100).default(70).describe("Target average CPU, in percent of the request."),
  // Guide correction: memory off by default; the guide's 80 % memory target scales on buffers, not sockets.
  memoryUtilization: z.number().int().min(1).max(100).optional().describe("Target average memory in percent of the request; unset: memory is no signal."),
  scaleUp: scalingRate(scaleUpDefaults, "up"),
  scaleDown: scalingRate(scaleDownDefaults, "down"),
};

/** Fewest before most. */
function replicaRange(a: { minReplicas: number; maxReplicas: number }, ctx: z.RefinementCtx): void {
  if (a.maxReplicas < a.minReplicas) {
    ctx.addIssue({ code: "custom", path: ["maxReplicas"], message: `at least minReplicas (${a.minReplicas})` });
  }
}

export const appAutoscalingSchema = z.strictObject(appAutoscalingShape).superRefine(replicaRange);
export const autoscalingSchema = z.strictObject({ ...autoscalingEngineShape, ...appAutoscalingShape }).superRefine(replicaRange);

export type AutoscalingSettings = z.output<typeof autoscalingSchema>;
const autoscalingShapeMatches: SameShape<z.input<typeof autoscalingSchema>, AutoscalingArgs> = true;
const appAutoscalingShapeMatches: SameShape<z.input<typeof appAutoscalingSchema>, AppAutoscalingArgs> = true;
void appAutoscalingShapeMatches;
void autoscalingShapeMatches;

export const autoscalingEnvironmentDefaults: EnvironmentDefaults<Partial<AutoscalingArgs>> = {
  dev: { enabled: false, minReplicas: 1, maxReplicas: 3 },
  staging: { enabled: false, minReplicas: 2, maxReplicas: 6 },
  prod: { enabled: false, minReplicas: 3, maxReplicas: 20 },
};
