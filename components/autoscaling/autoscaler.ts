import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { charts } from "../charts";
import { parseConfig } from "../config/parse";
import { AutoscalingArgs, AutoscalingEngine, AutoscalingSettings, autoscalingSchema } from "../config/schema/autoscaling";
import { chartRelease } from "../helm/chartRelease";
import { partOf } from "../labels";
import { MetricsScope } from "../metrics/queries";
import { PlatformNamespace } from "../namespace/namespace";
import { kedaValues, scaledObjectSpec } from "./keda";
import { adapterValues, hpaSpec } from "./prometheusAdapter";

/**
 * WebSocketAutoscaler's arguments: the `autoscaling` settings plus the app it scales. `enabled` is WebSocketPlatform's
 * switch; the component itself always scales.
 */
export interface WebSocketAutoscalerArgs extends AutoscalingArgs {
  /** Namespace of the app. */
  namespace: pulumi.Input<string>;
  /** The Deployment to scale; create it with its replica count left out (WebSocketApp `replicasOwnedByAutoscaler`). */
  deploymentName: pulumi.Input<string>;
  /** The Service the app's metrics are scraped through (the `service` label of its series). */
  serviceName: pulumi.Input<string>;
}

/** Where each engine's Helm release goes when `installNamespace` is not given. */
export const defaultInstallNamespace: Record<AutoscalingEngine, string> = {
  keda: "keda",
  "prometheus-adapter": "prometheus-adapter",
};

interface EngineInputs {
  name: string;
  settings: AutoscalingSettings;
  namespace: pulumi.Input<string>;
  scope: pulumi.Output<MetricsScope>;
  labels: Record<string, string>;
  /** What the scaling object waits for: the engine's release (its CRDs or APIService). */
  dependsOn: pulumi.Resource[];
}

/** What installing an engine needs: where Prometheus is, and the user's chart values. */
export type EngineInstallSettings = Pick<AutoscalingSettings, "prometheusUrl" | "chartValues"> & {
  /** Two replicas and disruption budgets (outside dev). */
  highlyAvailable: boolean;
};

/** One autoscaling engine: how it is installed and what scales the Deployment through it. */
interface EngineStrategy {
  install(name: string, settings: EngineInstallSettings, namespace: pulumi.Input<string>, opts: pulumi.CustomResourceOptions): pulumi.Resource;
  scale(inputs: EngineInputs, opts: pulumi.CustomResourceOptions): pulumi.Resource;
}

const keda: EngineStrategy = {
  install: (name, settings, namespace, opts) =>
    chartRelease(name, { pin: charts.keda, releaseName: "keda", namespace, values: kedaValues(settings), userValues: settings.chartValues }, opts),
  // KEDA creates and owns the HPA named in the ScaledObject; we never create one ourselves.
  scale: ({ name, settings, namespace, scope, labels, dependsOn }, opts) =>
    new k8s.apiextensions.CustomResource(
      `${name}-scaledobject`,
      {
        apiVersion: "keda.sh/v1alpha1",
        kind: "ScaledObject",
        metadata: { name: scope.apply((s) => s.deployment), namespace, labels },
        spec: scope.apply((s) => scaledObjectSpec({ settings, scope: s, hpaName: s.hpa ?? s.deployment })),
      },
      { ...opts, dependsOn },
    ),
};

const prometheusAdapter: EngineStrategy = {
  install: (name, settings, namespace, opts) =>
    chartRelease(
      name,
      { pin: charts.prometheusAdapter, releaseName: "prometheus-adapter", namespace, values: adapterValues(settings), userValues: settings.chartValues },
      opts,
    ),
  scale: ({ name, settings, namespace, scope, labels, dependsOn }, opts) =>
    new k8s.autoscaling.v2.HorizontalPodAutoscaler(
      `${name}-hpa`,
      { metadata: { name: scope.apply((s) => s.hpa ?? s.deployment), namespace, labels }, spec: scope.apply((s) => hpaSpec({ settings, scope: s })) },
      { ...opts, dependsOn },
    ),
};

/** Config value → engine. Adding an engine is one strategy and one line here. */
export const autoscalingEngines: Record<AutoscalingEngine, EngineStrategy> = { keda, "prometheus-adapter": prometheusAdapter };

/**
 * Scales a WebSocket app on open connections per pod plus CPU, through KEDA (a ScaledObject) or prometheus-adapter
 * (a custom-metrics rule and an autoscaling/v2 HPA); installs the engine unless `install` is false.
 */
export class WebSocketAutoscaler extends pulumi.ComponentResource {
  /** The HorizontalPodAutoscaler that owns the replica count (KEDA's, or ours). */
  public readonly hpaName: pulumi.Output<string>;
  public readonly engine: pulumi.Output<string>;

  constructor(name: string, args: WebSocketAutoscalerArgs, opts?: pulumi.ComponentResourceOptions) {
    const { namespace, deploymentName, serviceName, ...autoscalingArgs } = args;
    // Validate before super(): bad args register nothing, not even this component.
    const settings = parseConfig(autoscalingSchema, autoscalingArgs, { prefix: "WebSocketAutoscaler args." });
    super("websocket-platform:index:WebSocketAutoscaler", name, {}, opts);
    const engine = autoscalingEngines[settings.engine];

    // An engine installed elsewhere in the program (the cluster part's) comes in as this component's dependsOn.
    const dependsOn: pulumi.Resource[] = settings.install ? [] : [opts?.dependsOn].flat().filter((d): d is pulumi.Resource => d instanceof pulumi.Resource);
    if (settings.install) {
      const engineNamespace = new PlatformNamespace(
        `${name}-namespace`,
        { name: settings.installNamespace ?? defaultInstallNamespace[settings.engine] },
        { parent: this },
      );
      // A component's dependsOn does not reach its children: the install carries it (e.g. the adapter after cert-manager).
      // Installed for one app: highly available when the app is (at least two replicas, as outside dev).
      dependsOn.push(engine.install(`${name}-${settings.engine}`, { ...settings, highlyAvailable: settings.minReplicas > 1 }, engineNamespace.name, { parent: this, dependsOn: opts?.dependsOn }));
    }

    // The HPA gets the Deployment's name, so `kubectl get hpa` lines up with `kubectl get deploy`.
    const scope = pulumi
      .all([namespace, serviceName, deploymentName])
      .apply(([ns, service, deployment]): MetricsScope => ({ namespace: ns, service, deployment, hpa: deployment }));
    const labels = { "app.kubernetes.io/part-of": partOf, "app.kubernetes.io/managed-by": "pulumi", "app.kubernetes.io/component": "autoscaler" };
    engine.scale({ name, settings, namespace, scope, labels, dependsOn }, { parent: this });

    this.hpaName = scope.apply((s) => s.hpa ?? s.deployment);
    this.engine = pulumi.output(settings.engine);
    this.registerOutputs({ hpaName: this.hpaName, engine: this.engine });
  }
}
