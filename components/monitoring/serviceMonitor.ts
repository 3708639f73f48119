import type { IServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor" with { "resolution-mode": "import" };
import { metricsPortName } from "../app/ports";
import { metricsPath } from "../metrics/contract";

export type ServiceMonitorSpec = IServiceMonitor["spec"];

export interface ServiceMonitorInputs {
  /** Labels of the app's Service (its selector labels are on it too). */
  serviceLabels: Record<string, string>;
  scrapeInterval: string;
}

/**
 * Scrape the Service's named metrics port. The guide's `prometheus.io/*` pod annotations are not read by
 * prometheus-operator; this object is what its Prometheus discovers.
 */
export function serviceMonitorSpec({ serviceLabels, scrapeInterval }: ServiceMonitorInputs): ServiceMonitorSpec {
  return {
    selector: { matchLabels: serviceLabels },
    endpoints: [{ port: metricsPortName, path: metricsPath, interval: scrapeInterval, scheme: "http" }],
  };
}
