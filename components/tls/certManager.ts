import * as pulumi from "@pulumi/pulumi";
import { charts } from "../charts";
import { FreeformValues } from "../config/schema/common";
import { chartRelease } from "../helm/chartRelease";
import { PlatformNamespace } from "../namespace/namespace";

/** Fixed release name: the chart names its Deployments after it (cert-manager, cert-manager-webhook, ...). */
export const certManagerReleaseName = "cert-manager";

export interface CertManagerInstallArgs {
  /** Namespace created for the release. */
  namespace?: string;
  /** Keep `pulumi destroy` from uninstalling it. */
  protect?: boolean;
  /** Let cert-manager create Gateway API HTTPRoutes to solve HTTP-01 challenges. */
  gatewayApi?: boolean;
  /** Extra chart values for what this package does not model, deep-merged over ours. */
  values?: FreeformValues;
  /** Labels the Prometheus Operator selects ServiceMonitors by: set, the chart renders one for cert-manager. */
  serviceMonitorLabels?: Record<string, string>;
}

/** The chart values we set; every key is checked against the chart's strict values.schema.json in the tests. */
export function certManagerValues(args: { gatewayApi?: boolean; serviceMonitorLabels?: Record<string, string> }): Record<string, unknown> {
  return {
    // CRDs as chart templates, kept on uninstall: deleting cert-manager's CRDs deletes every Certificate in the cluster.
    crds: { enabled: true, keep: true },
    // The post-install hook Job that dry-run creates a Certificate through the webhook; Helm waits for it, so
    // the release is only ready once the webhook admits requests (what our Issuers need).
    startupapicheck: { enabled: true },
    // One cert-manager serves the whole cluster and its webhook admits every cert-manager object: no single pod to lose.
    // Dev stacks do not install it unless TLS is turned on there.
    replicaCount: 2,
    podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
    webhook: { replicaCount: 2, podDisruptionBudget: { enabled: true, maxUnavailable: 1 } },
    cainjector: { replicaCount: 2, podDisruptionBudget: { enabled: true, maxUnavailable: 1 } },
    ...(args.gatewayApi ? { config: { gatewayAPI: { enabled: true } } } : {}),
    // Certificate expiry and ACME errors reach kube-prometheus-stack through the chart's own ServiceMonitor.
    ...(args.serviceMonitorLabels ? { prometheus: { enabled: true, servicemonitor: { enabled: true, labels: args.serviceMonitorLabels } } } : {}),
  };
}

/**
 * cert-manager from its official chart, in its own Pod Security restricted namespace. Anything that creates
 * cert-manager resources should `dependsOn` this component: its release is awaited, hooks included.
 */
export class CertManager extends pulumi.ComponentResource {
  public readonly namespace: pulumi.Output<string>;
  public readonly releaseStatus: pulumi.Output<string>;

  constructor(name: string, args: CertManagerInstallArgs, opts?: pulumi.ComponentResourceOptions) {
    super("websocket-platform:index:CertManager", name, {}, opts);
    const namespace = new PlatformNamespace(`${name}-namespace`, { name: args.namespace ?? "cert-manager" }, { parent: this });
    const release = chartRelease(
      `${name}-release`,
      {
        pin: charts.certManager,
        releaseName: certManagerReleaseName,
        namespace: namespace.name,
        values: certManagerValues(args),
        userValues: args.values,
      },
      // Never skipAwait or disableWebhooks here: the provider maps disableWebhooks to Helm's DisableHooks on install.
      { parent: this, protect: args.protect ?? false },
    );
    this.namespace = namespace.name;
    this.releaseStatus = release.status.status;
    this.registerOutputs({ namespace: this.namespace, releaseStatus: this.releaseStatus });
  }
}
