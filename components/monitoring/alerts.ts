import type { IPrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule" with { "resolution-mode": "import" };
import { MonitoringSettings } from "../config/schema/monitoring";
import { MetricsScope, queries } from "../metrics/queries";

export type PrometheusRuleSpec = IPrometheusRule["spec"];
type Rule = NonNullable<NonNullable<PrometheusRuleSpec["groups"]>[number]["rules"]>[number];

/** Window of rate() in alerts: long enough to hold several scrapes at the default 30 s interval. */
export const alertRateWindow = "5m";
/** A rollout counts as recent for this long: the disconnect-spike alert only fires inside it. */
export const rolloutWindowSeconds = 1800;

export interface AlertInputs {
  scope: MetricsScope;
  alerts: MonitoringSettings["alerts"];
}

interface AlertDefinition {
  alert: string;
  expr: string;
  for: string;
  severity: "critical" | "warning";
  summary: string;
  description: string;
  runbook: string;
}

/** The alerts for one app. The autoscaler one exists only when an HPA does. */
export function alertDefinitions({ scope, alerts }: AlertInputs): AlertDefinition[] {
  const where = `${scope.namespace}/${scope.deployment}`;
  const w = alertRateWindow;
  const list: AlertDefinition[] = [
    {
      alert: "WebSocketNoReadyPods",
      expr: `${queries.readyReplicas(scope)} < 1`,
      for: "2m",
      severity: "critical",
      summary: `No ready pods for WebSocket app ${where}.`,
      description: "Every new connection fails and clients reconnect in a loop until a pod is ready.",
      runbook: `kubectl -n ${scope.namespace} describe deployment ${scope.deployment}; check pod events, readiness probe and image pulls.`,
    },
    {
      alert: "WebSocketHighErrorRate",
      expr: `${queries.errorRatio(scope, w)} > ${alerts.errorPercent / 100}`,
      for: "10m",
      severity: "warning",
      summary: `WebSocket errors above ${alerts.errorPercent}% of connection and message events for ${where}.`,
      description: "Error kinds: handshake (failed upgrades, often the ingress or Origin checks), protocol, internal.",
      runbook: "Open the dashboard's Errors panel to see the kind; handshake errors: check the ingress route and TLS; internal: app logs.",
    },
    {
      alert: "WebSocketPodNearCapacity",
      expr: `${queries.podCapacityRatio(scope)} > ${alerts.capacityPercent / 100}`,
      for: "5m",
      severity: "warning",
      summary: `Pod {{ $labels.pod }} of ${where} holds over ${alerts.capacityPercent}% of its connection capacity.`,
      description: "Near capacity a pod refuses new upgrades; the autoscaler target should sit well below the capacity.",
      runbook: "Raise autoscaling.maxReplicas or lower autoscaling.targetConnectionsPerPod; check the load is spread (no session affinity).",
    },
    {
      alert: "WebSocketDisconnectSpikeAfterRollout",
      // The baseline has a floor of 1 disconnect/s, so a quiet app does not page over a handful of reconnects.
      expr:
        `${queries.closedRate(scope, w)} > ${alerts.disconnectSpikeFactor} * clamp_min(${queries.closedRate(scope, "1h", "1h")}, 1)` +
        ` and on () (${queries.secondsSinceRollout(scope)}) < ${rolloutWindowSeconds}`,
      for: "5m",
      severity: "warning",
      summary: `Disconnects from ${where} run ${alerts.disconnectSpikeFactor}x above the hour before, after a rollout.`,
      description: "Pods are cutting clients faster than the drain window allows, or new pods fail and clients bounce.",
      runbook: "Check app.drain.windowSeconds against connection counts, pod restarts of the new ReplicaSet, and roll back if they crash.",
    },
  ];
  if (scope.hpa !== undefined) {
    list.push({
      alert: "WebSocketAutoscalerAtMax",
      expr: queries.hpaAtMax(scope),
      for: "15m",
      severity: "warning",
      summary: `Autoscaler ${scope.namespace}/${scope.hpa} has been at its maximum replicas for 15 minutes.`,
      description: "Demand exceeds what the autoscaler may add; pods fill up towards their connection capacity.",
      runbook: "Raise autoscaling.maxReplicas if the cluster has room, or add nodes; see the dashboard's Scaling row.",
    });
  }
  return list;
}

/** The PrometheusRule spec: one group, each alert with a summary, a description and a one-line runbook. */
export function prometheusRuleSpec(inputs: AlertInputs): PrometheusRuleSpec {
  const rules: Rule[] = alertDefinitions(inputs).map((a) => ({
    alert: a.alert,
    expr: a.expr,
    for: a.for,
    labels: { ...inputs.alerts.labels, severity: a.severity },
    annotations: { summary: a.summary, description: a.description, runbook: a.runbook },
  }));
  return { groups: [{ name: `websocket.${inputs.scope.namespace}.${inputs.scope.service}`, rules }] };
}
