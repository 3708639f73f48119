import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { parseConfig } from "../config/parse";
import { MonitoringArgs, monitoringSchema } from "../config/schema/monitoring";
import { partOf } from "../labels";
import { MetricsScope } from "../metrics/queries";
import { objectName } from "../naming";
import { prometheusRuleSpec } from "./alerts";
import { dashboardUid, webSocketDashboard } from "./dashboard";
import { serviceMonitorSpec } from "./serviceMonitor";

/** WebSocketMonitoring's arguments: the `monitoring` settings plus the app objects it watches (`enabled` is WebSocketPlatform's switch). */
export interface WebSocketMonitoringArgs extends MonitoringArgs {
  /** Namespace of the app (and of the ServiceMonitor and PrometheusRule). */
  namespace: pulumi.Input<string>;
  serviceName: pulumi.Input<string>;
  deploymentName: pulumi.Input<string>;
  /** Labels of the app's Service; the ServiceMonitor selects it by them. */
  serviceLabels: pulumi.Input<Record<string, string>>;
  /** Name of the app's HorizontalPodAutoscaler when autoscaling is on: adds the at-max alert and the scaling panels. */
  hpaName?: pulumi.Input<string>;
  /** Autoscaler target per pod, drawn on the dashboard. */
  targetConnectionsPerPod?: number;
}

/**
 * File name of the dashboard inside the ConfigMap. The sidecar writes each data key as a file into one folder, so the
 * key is unique per app (the dashboard uid): a shared name would make every app's dashboard overwrite the others.
 */
export function dashboardFileName(scope: Pick<MetricsScope, "namespace" | "service">): string {
  return `${dashboardUid(scope)}.json`;
}

/**
 * Monitoring for one WebSocket app: a ServiceMonitor on the Service's metrics port, a PrometheusRule with its alerts,
 * and the Grafana dashboard as a ConfigMap for the dashboard sidecar.
 */
export class WebSocketMonitoring extends pulumi.ComponentResource {
  public readonly serviceMonitorName: pulumi.Output<string>;
  public readonly dashboardUid: pulumi.Output<string>;

  constructor(name: string, args: WebSocketMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    const { namespace, serviceName, deploymentName, serviceLabels, hpaName, targetConnectionsPerPod, ...monitoringArgs } = args;
    // Validate before super(): bad args register nothing, not even this component.
    const settings = parseConfig(monitoringSchema, monitoringArgs, { prefix: "WebSocketMonitoring args." });
    super("websocket-platform:index:WebSocketMonitoring", name, {}, opts);
    const child = { parent: this };

    const scope: pulumi.Output<MetricsScope> = pulumi
      .all([namespace, serviceName, deploymentName, hpaName])
      .apply(([ns, service, deployment, hpa]) => ({ namespace: ns, service, deployment, ...(hpa !== undefined ? { hpa } : {}) }));
    const labels = { "app.kubernetes.io/part-of": partOf, "app.kubernetes.io/managed-by": "pulumi", "app.kubernetes.io/component": "monitoring" };
    const selectedLabels = { ...labels, ...settings.prometheusLabels };

    const serviceMonitor = new k8s.apiextensions.CustomResource(
      `${name}-servicemonitor`,
      {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "ServiceMonitor",
        metadata: { name: pulumi.output(serviceName).apply((s) => objectName(s)), namespace, labels: selectedLabels },
        spec: pulumi.output(serviceLabels).apply((l) => serviceMonitorSpec({ serviceLabels: l, scrapeInterval: settings.scrapeInterval })),
      },
      child,
    );

    if (settings.alerts.enabled) {
      new k8s.apiextensions.CustomResource(
        `${name}-alerts`,
        {
          apiVersion: "monitoring.coreos.com/v1",
          kind: "PrometheusRule",
          metadata: { name: pulumi.output(serviceName).apply((s) => objectName(s, "alerts")), namespace, labels: selectedLabels },
          spec: scope.apply((s) => prometheusRuleSpec({ scope: s, alerts: settings.alerts })),
        },
        child,
      );
    }

    const model = scope.apply((s) =>
      webSocketDashboard({ scope: s, title: `WebSocket: ${s.namespace}/${s.service}`, targetConnectionsPerPod }),
    );
    if (settings.dashboard.enabled) {
      new k8s.core.v1.ConfigMap(
        `${name}-dashboard`,
        {
          metadata: {
            // In a namespace shared by several apps (Grafana's), the app's namespace keeps the names apart.
            name: scope.apply((s) => (settings.dashboard.namespace !== undefined ? objectName(s.namespace, s.service, "dashboard") : objectName(s.service, "dashboard"))),
            namespace: settings.dashboard.namespace ?? namespace,
            labels: { ...labels, ...settings.dashboard.labels },
            ...(Object.keys(settings.dashboard.annotations).length > 0 ? { annotations: settings.dashboard.annotations } : {}),
          },
          data: pulumi.all([scope, model]).apply(([s, d]) => ({ [dashboardFileName(s)]: JSON.stringify(d, null, 2) })),
        },
        child,
      );
    }

    this.serviceMonitorName = serviceMonitor.metadata.name;
    this.dashboardUid = model.apply((d) => d.uid ?? "");
    this.registerOutputs({ serviceMonitorName: this.serviceMonitorName, dashboardUid: this.dashboardUid });
  }
}
