import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { autoscalingEngines, defaultInstallNamespace } from "../autoscaling/autoscaler";
import { KeyStyle } from "../config/parse";
import { ingressControllers } from "../ingress/registry";
import { ControllerServiceRef, InstalledController } from "../ingress/types";
import { objectName } from "../naming";
import { PlatformNamespace } from "../namespace/namespace";
import { CertManager } from "../tls/certManager";
import { ClusterReference } from "./clusterReference";
import { clusterRules } from "./clusterRules";
import { ClusterArgs, ClusterSettings, resolveClusterConfig } from "./clusterSettings";

export interface WebSocketClusterOptions extends pulumi.ComponentResourceOptions {
  /** How keys are named in config errors (WebSocketPlatform passes its own). */
  keyStyle?: KeyStyle;
}

/** What app parts in the same program wait for: resources, which a reference across stacks cannot carry. */
export interface ClusterResources {
  /** The controller's release (and its CRDs): routes wait for these. */
  controllerReady: pulumi.Resource[];
  /** Namespaces and Gateway API CRDs: objects that only need them to exist. */
  foundations: pulumi.Resource[];
  /** cert-manager's release: Issuers and Certificates wait for its CRDs and webhook. */
  certManager: pulumi.Resource[];
  /** The autoscaling engine's release: ScaledObjects and HPAs on custom metrics wait for it. */
  autoscalingEngine: pulumi.Resource[];
}

const resourcesOf = new WeakMap<WebSocketCluster, ClusterResources>();

/** The resources a cluster part created, for app parts of the same program (a WeakMap: resources are not component outputs). */
export function clusterResources(cluster: WebSocketCluster): ClusterResources {
  return resourcesOf.get(cluster) ?? { controllerReady: [], foundations: [], certManager: [], autoscalingEngine: [] };
}

/**
 * What a cluster runs once for every WebSocket app: the ingress controller (and Gateway API CRDs, and a shared
 * Gateway where the controller provisions a data plane per Gateway), cert-manager and the autoscaling engine.
 */
export class WebSocketCluster extends pulumi.ComponentResource {
  /** Plain data for app parts: pass it to WebSocketService here, or export it for other stacks. */
  public readonly reference: ClusterReference;
  /** The controller's client-facing Service, for DNS records and load-balancer lookups. */
  public readonly controllerService: pulumi.Output<ControllerServiceRef | undefined>;

  constructor(name: string, args: ClusterArgs, opts?: WebSocketClusterOptions) {
    const { keyStyle, ...resourceOptions } = opts ?? {};
    // Validate before super(): bad args register nothing, not even this component.
    const settings = resolveClusterConfig(args, keyStyle ?? { prefix: "WebSocketCluster args." }, clusterRules);
    super("websocket-platform:index:WebSocketCluster", name, {}, resourceOptions);
    const child = { parent: this };

    const installed = ingressControllers[settings.ingress.controller].install(`${name}-ingress`, settings, child);

    // Controllers whose charts render no ServiceMonitor are scraped through a PodMonitor on their metrics port.
    const metricsPods = ingressControllers[settings.ingress.controller].metricsPods;
    if (settings.monitoring.enabled && metricsPods && installed.readyResources.length > 0) {
      new k8s.apiextensions.CustomResource(
        `${name}-ingress-podmonitor`,
        {
          apiVersion: "monitoring.coreos.com/v1",
          kind: "PodMonitor",
          metadata: { name: objectName(settings.ingress.controller, "metrics"), namespace: installed.namespace, labels: settings.monitoring.prometheusLabels },
          spec: { selector: { matchLabels: metricsPods.podLabels }, podMetricsEndpoints: [{ port: metricsPods.port, path: metricsPods.path }] },
        },
        { ...child, dependsOn: installed.foundations },
      );
    }

    const certManager =
      settings.tls.enabled && settings.tls.certManager.install
        ? new CertManager(
            `${name}-tls-cert-manager`,
            {
              namespace: settings.tls.certManager.namespace,
              protect: settings.tls.certManager.protect,
              gatewayApi: installed.routeApi === "gateway",
              values: settings.tls.certManager.values,
              ...(settings.monitoring.enabled ? { serviceMonitorLabels: settings.monitoring.prometheusLabels } : {}),
            },
            // cert-manager watches Gateway API routes: their CRDs come first.
            { ...child, dependsOn: installed.foundations },
          )
        : undefined;

    const engineSettings = settings.autoscaling;
    let engineRelease: pulumi.Resource | undefined;
    if (engineSettings.enabled && engineSettings.install) {
      const engineNamespace = new PlatformNamespace(
        `${name}-autoscaling-namespace`,
        { name: engineSettings.installNamespace ?? defaultInstallNamespace[engineSettings.engine] },
        child,
      );
      // The adapter chart's APIService certificate comes from cert-manager: with ours, install the adapter after it.
      const afterCertManager = engineSettings.engine === "prometheus-adapter" && certManager ? [certManager] : [];
      const highlyAvailable = settings.environment !== "dev";
      engineRelease = autoscalingEngines[engineSettings.engine].install(`${name}-autoscaling-${engineSettings.engine}`, { ...engineSettings, highlyAvailable }, engineNamespace.name, {
        ...child,
        dependsOn: afterCertManager,
      });
    }

    this.reference = referenceFrom(installed, settings);
    resourcesOf.set(this, {
      controllerReady: installed.readyResources,
      foundations: installed.foundations,
      certManager: certManager ? [certManager] : [],
      autoscalingEngine: engineRelease ? [engineRelease] : [],
    });
    this.controllerService = pulumi.output(installed.service);
    this.registerOutputs({ reference: this.reference, controllerService: this.controllerService });
  }
}

/** The plain facts an installed controller and the cluster's settings give every app. */
export function referenceFrom(installed: InstalledController, settings: ClusterSettings): ClusterReference {
  return {
    controller: installed.controller,
    routeApi: installed.routeApi,
    className: installed.className,
    controllerNamespace: installed.namespace,
    dataPlanePodLabels: installed.podLabels,
    dataPlaneServiceAccount: installed.serviceAccountName,
    ...(installed.service ? { controllerService: installed.service } : {}),
    ...(installed.tlsSecretNamespace !== undefined ? { tlsSecretNamespace: installed.tlsSecretNamespace } : {}),
    ...(installed.gateway ? { gateway: installed.gateway } : {}),
    mesh: settings.mesh.provider,
    ...(settings.tls.enabled ? { certManager: { namespace: settings.tls.certManager.namespace } } : {}),
    ...(settings.autoscaling.enabled ? { autoscalingEngine: settings.autoscaling.engine } : {}),
    maxConnectionLifetimeSeconds: settings.ingress.connectionLifetimeSeconds,
  };
}
