import { webSocketMetrics } from "./contract";

/**
 * Every PromQL expression the platform emits (scaler trigger, adapter rule, alerts, dashboard) is built here from
 * the contract's names, so a rename happens in one place and the tests parse one list.
 */

/** kube-state-metrics series (STABLE in kube-state-metrics docs/metrics/workload) the alerts and dashboard read. */
export const kubeStateMetrics = {
  deploymentReplicas: "kube_deployment_status_replicas",
  deploymentReplicasReady: "kube_deployment_status_replicas_ready",
  hpaCurrentReplicas: "kube_horizontalpodautoscaler_status_current_replicas",
  hpaDesiredReplicas: "kube_horizontalpodautoscaler_status_desired_replicas",
  hpaMaxReplicas: "kube_horizontalpodautoscaler_spec_max_replicas",
  replicaSetCreated: "kube_replicaset_created",
  replicaSetOwner: "kube_replicaset_owner",
} as const;

/** Where the app's series live: the scrape labels a ServiceMonitor target gets, and the kube-state-metrics object names. */
export interface MetricsScope {
  namespace: string;
  /** The Service the ServiceMonitor scrapes through (the `service` label prometheus-operator adds). */
  service: string;
  deployment: string;
  /** The HorizontalPodAutoscaler (KEDA's or ours), when autoscaling is on. */
  hpa?: string;
}

/** A PromQL string literal. */
export function promString(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

export function labelMatchers(labels: Record<string, string>): string {
  return `{${Object.entries(labels)
    .map(([k, v]) => `${k}=${promString(v)}`)
    .join(",")}}`;
}

const m = webSocketMetrics;
const app = (s: MetricsScope) => labelMatchers({ namespace: s.namespace, service: s.service });
const deployment = (s: MetricsScope) => labelMatchers({ namespace: s.namespace, deployment: s.deployment });
const hpa = (s: MetricsScope) => labelMatchers({ namespace: s.namespace, horizontalpodautoscaler: s.hpa ?? "" });

/** A range: `$__rate_interval` in the dashboard (Grafana picks it), a fixed window in alerts. */
export type RangeWindow = string;

export const queries = {
  activeConnections: (s: MetricsScope) => `sum(${m.activeConnections.name}${app(s)})`,
  activeConnectionsByPod: (s: MetricsScope) => `sum by (pod) (${m.activeConnections.name}${app(s)})`,
  capacityPerPod: (s: MetricsScope) => `max(${m.connectionCapacity.name}${app(s)})`,
  capacityUsedRatio: (s: MetricsScope) => `sum(${m.activeConnections.name}${app(s)}) / sum(${m.connectionCapacity.name}${app(s)})`,
  podCapacityRatio: (s: MetricsScope) =>
    `max by (namespace, pod) (${m.activeConnections.name}${app(s)}) / max by (namespace, pod) (${m.connectionCapacity.name}${app(s)})`,
  openedRate: (s: MetricsScope, w: RangeWindow) => `sum(rate(${m.connectionsOpened.name}${app(s)}[${w}]))`,
  closedRate: (s: MetricsScope, w: RangeWindow, offset?: string) =>
    `sum(rate(${m.connectionsClosed.name}${app(s)}[${w}]${offset ? ` offset ${offset}` : ""}))`,
  messagesRateByDirection: (s: MetricsScope, w: RangeWindow) => `sum by (direction) (rate(${m.messages.name}${app(s)}[${w}]))`,
  errorsRateByKind: (s: MetricsScope, w: RangeWindow) => `sum by (kind) (rate(${m.errors.name}${app(s)}[${w}]))`,
  errorsRate: (s: MetricsScope, w: RangeWindow) => `sum(rate(${m.errors.name}${app(s)}[${w}]))`,
  /** Errors per connection or message event: errors with no traffic at all give +Inf, so they still alert. */
  errorRatio: (s: MetricsScope, w: RangeWindow) =>
    `sum(rate(${m.errors.name}${app(s)}[${w}])) / (sum(rate(${m.connectionsOpened.name}${app(s)}[${w}])) + sum(rate(${m.messages.name}${app(s)}[${w}])))`,
  replicas: (s: MetricsScope) => `sum(${kubeStateMetrics.deploymentReplicas}${deployment(s)})`,
  readyReplicas: (s: MetricsScope) => `sum(${kubeStateMetrics.deploymentReplicasReady}${deployment(s)})`,
  hpaDesiredReplicas: (s: MetricsScope) => `max(${kubeStateMetrics.hpaDesiredReplicas}${hpa(s)})`,
  hpaMaxReplicas: (s: MetricsScope) => `max(${kubeStateMetrics.hpaMaxReplicas}${hpa(s)})`,
  hpaAtMax: (s: MetricsScope) =>
    `max(${kubeStateMetrics.hpaCurrentReplicas}${hpa(s)}) >= max(${kubeStateMetrics.hpaMaxReplicas}${hpa(s)})`,
  /** Seconds since the Deployment's newest ReplicaSet was created: a rollout (a scale event makes none). */
  secondsSinceRollout: (s: MetricsScope) => {
    const created = `${kubeStateMetrics.replicaSetCreated}${labelMatchers({ namespace: s.namespace })}`;
    const owned = `${kubeStateMetrics.replicaSetOwner}${labelMatchers({ namespace: s.namespace, owner_kind: "Deployment", owner_name: s.deployment })}`;
    return `time() - max(${created} * on (namespace, replicaset) group_left () ${owned})`;
  },
} as const;

/** The query a KEDA Prometheus trigger runs: one number, the total; KEDA's AverageValue divides it by the replicas. */
export function scalerQuery(s: MetricsScope): string {
  return queries.activeConnections(s);
}
