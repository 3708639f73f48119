import { z } from "zod";
import { ConfigError } from "../config/configError";
import { Environment, EnvironmentDefaults, defaultEnvironment, environmentSchema } from "../config/environment";
import { withEnvironmentDefaults } from "../config/resolve";
import { KeyStyle, parseConfig, problemAt } from "../config/parse";
import { appSchema } from "../config/schema/app";
import { AutoscalingEngineArgs, autoscalingEngineShape } from "../config/schema/autoscaling";
import { SameShape } from "../config/schema/common";
import { IngressControllerArgs, ingressControllerShape, ingressRouteShape } from "../config/schema/ingress";
import { MeshArgs, meshSchema } from "../config/schema/mesh";
import { monitoringSchema } from "../config/schema/monitoring";
import { CertManagerArgs, HstsArgs, certManagerSchema, hstsSchema } from "../config/schema/tls";
import { RuleProblem } from "../config/rules/types";

/** The controller as the cluster part installs it: the choices of IngressControllerArgs plus the limits every app shares. */
export interface ClusterIngressArgs extends IngressControllerArgs {
  /** Seconds an idle WebSocket stays open through the controller: at least the longest app.connectionLifetimeSeconds behind it. */
  connectionLifetimeSeconds?: number;
  /** Seconds the controller waits to open a connection to a pod, where a route cannot set its own. */
  connectTimeoutSeconds?: number;
  /** Cookie persistence in the controller's global configuration (HAProxy reads it only there). */
  sessionAffinity?: boolean;
  /** Seconds a stopping controller pod keeps accepting while load balancers take it out, before its drain starts. */
  preStopSeconds?: number;
}

/** cert-manager, and whether routes on this controller serve TLS (the controller-wide HSTS of ingress-nginx). */
export interface ClusterTlsArgs {
  /** Routes serve wss:// and cert-manager is installed (unless certManager.install is false). */
  enabled?: boolean;
  hsts?: HstsArgs;
  certManager?: CertManagerArgs;
}

/** The autoscaling engine, installed once for every app. */
export interface ClusterAutoscalingArgs extends AutoscalingEngineArgs {
  /** Run an engine in this cluster (install it, or use the one there with install false). */
  enabled?: boolean;
}

export interface ClusterNetworkPolicyArgs {
  /** The controller namespace gets the NetworkPolicies of its chart where the chart has them (Istio gateway). */
  enabled?: boolean;
}

/** What is installed once per cluster: the ingress controller, cert-manager and the autoscaling engine. */
export interface ClusterArgs {
  /** dev, staging or prod: picks the defaults of every other key. */
  environment?: Environment;
  ingress?: ClusterIngressArgs;
  tls?: ClusterTlsArgs;
  /** The mesh the controller joins (its identity is admitted by the apps' mesh policies). */
  mesh?: MeshArgs;
  autoscaling?: ClusterAutoscalingArgs;
  networkPolicy?: ClusterNetworkPolicyArgs;
  /** Controller and cert-manager ServiceMonitors for kube-prometheus-stack. */
  monitoring?: ClusterMonitoringArgs;
}

export interface ClusterMonitoringArgs {
  /** Render the charts' ServiceMonitors (needs the Prometheus Operator CRDs). */
  enabled?: boolean;
  /** Labels the Prometheus Operator selects ServiceMonitors by. */
  prometheusLabels?: Record<string, string>;
}

const lifetime = appSchema.shape.connectionLifetimeSeconds;
const platformMonitoring = monitoringSchema.shape;

export const clusterSchema = z.strictObject({
  environment: environmentSchema.default(defaultEnvironment).describe("dev, staging or prod: picks the defaults of every other key; unset means prod."),
  ingress: z
    .strictObject({
      ...ingressControllerShape,
      connectionLifetimeSeconds: lifetime,
      connectTimeoutSeconds: ingressRouteShape.connectTimeoutSeconds,
      sessionAffinity: ingressRouteShape.sessionAffinity,
      preStopSeconds: appSchema.shape.drain.unwrap().shape.preStopSeconds.describe("Seconds a stopping controller pod keeps accepting before its drain starts."),
    })
    .prefault({})
    .describe("The ingress controller every app routes through."),
  tls: z
    .strictObject({
      enabled: z.boolean().default(true).describe("Routes serve TLS; cert-manager is installed unless certManager.install is false."),
      hsts: hstsSchema,
      certManager: certManagerSchema,
    })
    .prefault({})
    .describe("cert-manager and controller-wide TLS settings."),
  mesh: meshSchema.default(() => meshSchema.parse({})).describe("The mesh the controller joins."),
  autoscaling: z
    .strictObject({ enabled: z.boolean().default(false).describe("Run an autoscaling engine."), ...autoscalingEngineShape })
    .prefault({})
    .describe("The autoscaling engine."),
  networkPolicy: z
    .strictObject({ enabled: z.boolean().default(true).describe("Chart NetworkPolicies for the controller namespace.") })
    .prefault({})
    .describe("NetworkPolicies."),
  monitoring: z
    .strictObject({ enabled: platformMonitoring.enabled, prometheusLabels: platformMonitoring.prometheusLabels })
    .prefault({})
    .describe("ServiceMonitors of the charts."),
});

export type ClusterSettings = z.output<typeof clusterSchema>;
const clusterShapeMatches: SameShape<z.input<typeof clusterSchema>, ClusterArgs> = true;
void clusterShapeMatches;

/** Defaults that differ per environment, merged under what the user wrote. */
export const clusterEnvironmentDefaults: Record<"ingress" | "tls" | "autoscaling" | "networkPolicy" | "monitoring", EnvironmentDefaults<Record<string, unknown>>> = {
  ingress: { dev: { replicas: 1 }, staging: { replicas: 2 }, prod: { replicas: 2 } },
  tls: { dev: { enabled: false }, staging: { enabled: true }, prod: { enabled: true, certManager: { protect: true } } },
  autoscaling: { dev: {}, staging: {}, prod: {} },
  networkPolicy: { dev: { enabled: false }, staging: { enabled: true }, prod: { enabled: true } },
  monitoring: { dev: {}, staging: {}, prod: {} },
};

/** A check across the cluster's sections (the controller strategies add theirs through the registry). */
export type ClusterRule = (cluster: ClusterSettings) => RuleProblem[];

/** Validated cluster settings, environment defaults filled in; one ConfigError listing every problem otherwise. */
export function resolveClusterConfig(raw: unknown, style: KeyStyle, rules: ClusterRule[]): ClusterSettings {
  const merged = withEnvironmentDefaults(raw, clusterEnvironmentDefaults);
  const settings = parseConfig(clusterSchema, merged, style);
  const problems = rules.flatMap((rule) => rule(settings));
  if (problems.length > 0) {
    throw new ConfigError(problems.map((p) => problemAt(p.path, p.given, p.allowed, style)));
  }
  return settings;
}
