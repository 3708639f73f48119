import { z } from "zod";
import { EnvironmentDefaults } from "../environment";
import { SameShape, dnsLabel } from "./common";

/** Thresholds of the alerts in the PrometheusRule. */
export interface AlertsArgs {
  /** Whether the PrometheusRule is created. */
  enabled?: boolean;
  /** Warn when a pod holds this percentage of its connection capacity. */
  capacityPercent?: number;
  /** Warn when errors exceed this percentage of connection and message events. */
  errorPercent?: number;
  /** Warn when disconnects after a rollout run this many times above the rate an hour earlier. */
  disconnectSpikeFactor?: number;
  /** Extra labels on every alert, e.g. team or severity routing. */
  labels?: Record<string, string>;
}

/** The Grafana dashboard ConfigMap. */
export interface DashboardArgs {
  /** Whether the dashboard ConfigMap is created. */
  enabled?: boolean;
  /** Namespace of the ConfigMap; the app's namespace when unset (kube-prometheus-stack's sidecar searches all). */
  namespace?: string;
  /** Labels the Grafana dashboard sidecar selects ConfigMaps by. */
  labels?: Record<string, string>;
  /** Annotations on the ConfigMap, e.g. the sidecar's folder annotation. */
  annotations?: Record<string, string>;
}

/** Arguments of the servicemonitor, alerts and dashboard part: `monitoring` in stack config. */
export interface MonitoringArgs {
  /** Whether this part is deployed. */
  enabled?: boolean;
  /** Labels on the ServiceMonitor and PrometheusRule that the Prometheus selects them by. */
  prometheusLabels?: Record<string, string>;
  /** How often Prometheus scrapes the app. */
  scrapeInterval?: string;
  alerts?: AlertsArgs;
  dashboard?: DashboardArgs;
}

const labelKey = z
  .string()
  .regex(/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/, "a Kubernetes label key such as release or example.com/team")
  .max(316);
const labelValue = z
  .string()
  .regex(/^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/, "a Kubernetes label value: alphanumeric ends, '-', '_', '.' inside")
  .max(63);
const labels = z.record(labelKey, labelValue);
/** Prometheus durations as prometheus-operator accepts them (30s, 1m, 1m30s). */
const duration = z
  .string()
  .regex(/^(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?$/, "a duration such as 30s, 1m or 1m30s")
  .refine((d) => d !== "", "a duration such as 30s");

// kube-prometheus-stack's Prometheus selects ServiceMonitors and PrometheusRules by `release: <its release name>`.
export const defaultPrometheusLabels = { release: "kube-prometheus-stack" };
// kube-prometheus-stack's Grafana sidecar loads ConfigMaps labelled grafana_dashboard: "1" (its chart default).
export const defaultDashboardLabels = { grafana_dashboard: "1" };

export const monitoringSchema = z.strictObject({
  enabled: z.boolean().default(true).describe("ServiceMonitor, alerts and dashboard: on or off."),
  prometheusLabels: labels
    .default(defaultPrometheusLabels)
    .describe("Labels the Prometheus selects ServiceMonitors and PrometheusRules by (kube-prometheus-stack: release=<release>)."),
  scrapeInterval: duration.default("30s").describe("How often Prometheus scrapes the app's metrics port."),
  alerts: z
    .strictObject({
      enabled: z.boolean().default(true).describe("Create the PrometheusRule with the app's alerts."),
      capacityPercent: z.number().int().min(1).max(100).default(85).describe("Alert when a pod holds this percent of its connection capacity."),
      errorPercent: z.number().int().min(1).max(100).default(5).describe("Alert when errors exceed this percent of connection and message events."),
      disconnectSpikeFactor: z.number().int().min(2).max(100).default(3).describe("Alert when disconnects after a rollout run this many times the earlier rate."),
      labels: labels.default({}).describe("Extra labels on every alert (routing)."),
    })
    .default({ enabled: true, capacityPercent: 85, errorPercent: 5, disconnectSpikeFactor: 3, labels: {} }),
  dashboard: z
    .strictObject({
      enabled: z.boolean().default(true).describe("Create the Grafana dashboard ConfigMap."),
      namespace: dnsLabel.optional().describe("Namespace of the dashboard ConfigMap; the app's when unset."),
      labels: labels.default(defaultDashboardLabels).describe("Labels the Grafana dashboard sidecar selects by (grafana_dashboard=1)."),
      annotations: z.record(z.string(), z.string()).default({}).describe("Annotations on the dashboard ConfigMap (e.g. a sidecar folder)."),
    })
    .default({ enabled: true, labels: defaultDashboardLabels, annotations: {} }),
});

export type MonitoringSettings = z.output<typeof monitoringSchema>;
const monitoringShapeMatches: SameShape<z.input<typeof monitoringSchema>, MonitoringArgs> = true;
void monitoringShapeMatches;

export const monitoringEnvironmentDefaults: EnvironmentDefaults<Partial<MonitoringArgs>> = {
  dev: { enabled: true },
  staging: { enabled: true },
  prod: { enabled: true },
};
