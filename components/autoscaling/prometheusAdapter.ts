import * as k8s from "@pulumi/kubernetes";
import { AutoscalingSettings } from "../config/schema/autoscaling";
import { webSocketMetrics } from "../metrics/contract";
import { MetricsScope } from "../metrics/queries";
import { scalingBehavior } from "./behavior";

/** Name of the per-pod metric in the custom metrics API (the series' own name, so the two are easy to match). */
export const customMetricName = webSocketMetrics.activeConnections.name;

/** One prometheus-adapter discovery rule (docs/config.md: discovery, association, naming, querying). */
export interface AdapterRule {
  seriesQuery: string;
  resources: { overrides: Record<string, { resource: string }> };
  name: { matches: string; as: string };
  metricsQuery: string;
}

/**
 * The rule that turns the active-connections series into the per-pod custom metric. Unlike the guide's rule, the query
 * aggregates `by (<<.GroupBy>>)`: the adapter needs exactly one value per pod it was asked about.
 */
export function connectionsRule(): AdapterRule {
  const series = webSocketMetrics.activeConnections.name;
  return {
    seriesQuery: `${series}{namespace!="",pod!=""}`,
    resources: { overrides: { namespace: { resource: "namespace" }, pod: { resource: "pod" } } },
    name: { matches: `^${series}$`, as: customMetricName },
    metricsQuery: "sum by (<<.GroupBy>>) (avg_over_time(<<.Series>>{<<.LabelMatchers>>}[1m]))",
  };
}

/** The chart builds `--prometheus-url={{url}}{{if port}}:{{port}}{{end}}{{path}}`, so the URL is given in its three parts. */
export function prometheusUrlValues(url: string): { url: string; port: number | string; path: string } {
  const parsed = new URL(url);
  return {
    url: `${parsed.protocol}//${parsed.hostname}`,
    port: parsed.port === "" ? "" : Number(parsed.port),
    path: parsed.pathname.replace(/\/+$/, ""),
  };
}

/** Values for the prometheus-community `prometheus-adapter` chart; two replicas with a budget when highly available. */
export function adapterValues(settings: { prometheusUrl: string; highlyAvailable: boolean }): Record<string, unknown> {
  // The custom metrics API is down while its one pod is: every HPA on it stops scaling.
  const highlyAvailable = settings.highlyAvailable;
  return {
    ...(highlyAvailable ? { replicas: 2, podDisruptionBudget: { enabled: true, maxUnavailable: 1 } } : {}),
    prometheus: prometheusUrlValues(settings.prometheusUrl),
    // Only our rule: the default rules publish every container_* series as a custom metric.
    rules: { default: false, custom: [connectionsRule()] },
    // Without tls or cert-manager the chart registers its APIService with insecureSkipTLSVerify: true.
    certManager: { enabled: true },
  };
}

export interface HpaInputs {
  settings: AutoscalingSettings;
  scope: MetricsScope;
}

/** An autoscaling/v2 HPA on CPU plus the per-pod connections metric (memory only when asked). */
export function hpaSpec({ settings, scope }: HpaInputs) {
  const resource = (name: string, averageUtilization: number) => ({
    type: "Resource",
    resource: { name, target: { type: "Utilization", averageUtilization } },
  });
  return {
    scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: scope.deployment },
    minReplicas: settings.minReplicas,
    maxReplicas: settings.maxReplicas,
    metrics: [
      resource("cpu", settings.cpuUtilization),
      ...(settings.memoryUtilization !== undefined ? [resource("memory", settings.memoryUtilization)] : []),
      {
        type: "Pods",
        pods: {
          metric: { name: customMetricName },
          target: { type: "AverageValue", averageValue: String(settings.targetConnectionsPerPod) },
        },
      },
    ],
    behavior: scalingBehavior(settings),
  } satisfies k8s.types.input.autoscaling.v2.HorizontalPodAutoscalerSpec;
}
