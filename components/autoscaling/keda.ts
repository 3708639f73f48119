import { AutoscalingSettings } from "../config/schema/autoscaling";
import { MetricsScope, scalerQuery } from "../metrics/queries";
import { scalingBehavior } from "./behavior";
import { ScaledObjectSpec } from "./scaledObject";

/**
 * Values for the kedacore `keda` chart: only what differs from its defaults. The operator and the metrics server run
 * active/standby (upstream: extra replicas only shorten a failover), two of each with budgets when highly available.
 */
export function kedaValues({ highlyAvailable }: { highlyAvailable: boolean }): Record<string, unknown> {
  return {
    // CRDs are chart templates toggled by crds.install; ScaledObjects wait for this release.
    crds: { install: true },
    ...(highlyAvailable
      ? {
          operator: { replicaCount: 2 },
          metricsServer: { replicaCount: 2 },
          podDisruptionBudget: { operator: { maxUnavailable: 1 }, metricServer: { maxUnavailable: 1 } },
        }
      : {}),
  };
}

export interface ScaledObjectInputs {
  settings: AutoscalingSettings;
  scope: MetricsScope;
  /** Name of the HPA KEDA creates and owns (the alerts watch it). */
  hpaName: string;
}

/**
 * One ScaledObject: a Prometheus trigger on the total of open connections (KEDA's AverageValue divides it by the
 * replicas, so the threshold is per pod) plus CPU; KEDA creates and owns the HPA.
 */
export function scaledObjectSpec({ settings, scope, hpaName }: ScaledObjectInputs): ScaledObjectSpec {
  return {
    scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: scope.deployment },
    // KEDA's default minReplicaCount is 0; a WebSocket app must always hold its clients.
    minReplicaCount: settings.minReplicas,
    maxReplicaCount: settings.maxReplicas,
    advanced: { horizontalPodAutoscalerConfig: { name: hpaName, behavior: scalingBehavior(settings) } },
    triggers: [
      {
        type: "prometheus",
        name: "active-connections",
        metricType: "AverageValue",
        metadata: {
          serverAddress: settings.prometheusUrl,
          query: scalerQuery(scope),
          threshold: String(settings.targetConnectionsPerPod),
        },
      },
      { type: "cpu", name: "cpu", metricType: "Utilization", metadata: { value: String(settings.cpuUtilization) } },
      ...(settings.memoryUtilization !== undefined
        ? [{ type: "memory", name: "memory", metricType: "Utilization" as const, metadata: { value: String(settings.memoryUtilization) } }]
        : []),
    ],
  };
}
