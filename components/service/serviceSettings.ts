import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { ClusterReference, clusterReferenceSchema } from "../cluster/clusterReference";
import { ConfigError } from "../config/configError";
import { ingressControllers } from "../ingress/registry";
import { Environment } from "../config/environment";
import { withEnvironmentDefaults } from "../config/resolve";
import { KeyStyle, parseConfig, problemAt } from "../config/parse";
import { platformProblems, platformWarningsOf } from "../config/rules";
import { withDerivedSmokeTestAddress } from "../config/rules/smokeTest";
import { RuleProblem } from "../config/rules/types";
import { AppArgs } from "../config/schema/app";
import { AppAutoscalingArgs, appAutoscalingSchema } from "../config/schema/autoscaling";
import { SameShape, hostNames } from "../config/schema/common";
import { checkedInput } from "../config/checkedInput";
import { knownHosts, withHosts } from "../config/knownHosts";
import { IngressRouteArgs, ingressControllerShape, ingressEnvironmentDefaults, ingressRouteEnvironmentDefaults, ingressRouteShape } from "../config/schema/ingress";
import { MeshArgs } from "../config/schema/mesh";
import { MonitoringArgs } from "../config/schema/monitoring";
import { NetworkPolicyArgs } from "../config/schema/networkPolicy";
import { PlatformSettings, environmentDefaults, platformSchema } from "../config/schema/platform";
import { SmokeTestArgs } from "../config/schema/smokeTest";
import { AppTlsArgs, appTlsSchema } from "../config/schema/tls";

/** One WebSocket app on a shared cluster: everything the app owns, and the reference to the cluster part it runs on. */
export interface ServiceArgs {
  /** The cluster part's reference (WebSocketCluster.reference, a StackReference output, or written by hand). */
  cluster: ClusterReference;
  /** dev, staging or prod: picks the defaults of every other key. */
  environment?: Environment;
  /** Namespace the app runs in, created with Pod Security restricted labels (may be an Output, checked when it resolves). */
  namespace?: pulumi.Input<string>;
  app: AppArgs;
  ingress: IngressRouteArgs;
  tls?: AppTlsArgs;
  mesh?: MeshArgs;
  autoscaling?: AppAutoscalingArgs;
  monitoring?: MonitoringArgs;
  networkPolicy?: NetworkPolicyArgs;
  smokeTest?: SmokeTestArgs;
}

const platform = platformSchema.shape;

export const serviceSchema = z.strictObject({
  cluster: clusterReferenceSchema.describe("The cluster part's reference."),
  environment: platform.environment,
  namespace: platform.namespace,
  app: platform.app,
  ingress: z.strictObject(ingressRouteShape).describe("The app's route."),
  tls: appTlsSchema.prefault({}).describe("The app's certificate through the cluster's cert-manager."),
  mesh: platform.mesh,
  autoscaling: appAutoscalingSchema.prefault({}).describe("Autoscaling on live connections through the cluster's engine."),
  monitoring: platform.monitoring,
  networkPolicy: platform.networkPolicy,
  smokeTest: platform.smokeTest,
});

export type ServiceSettings = z.output<typeof serviceSchema>;
const serviceShapeMatches: SameShape<z.input<typeof serviceSchema>, ServiceArgs> = true;
void serviceShapeMatches;

/** The platform's per-environment defaults without what the cluster part owns (controller replicas, cert-manager). */
const serviceEnvironmentDefaults = {
  ...environmentDefaults,
  ingress: ingressRouteEnvironmentDefaults,
  tls: Object.fromEntries(Object.entries(environmentDefaults.tls).map(([env, { certManager: _c, ...rest }]) => [env, rest])),
} as Record<keyof typeof environmentDefaults, Record<Environment, unknown>>;

/** The app's settings in the shape every app part reads, with the cluster-owned keys taken from the reference. */
export function platformSettingsOf(service: ServiceSettings): PlatformSettings {
  const { cluster: ref, ...own } = service;
  return {
    ...own,
    ingress: {
      ...own.ingress,
      controller: ref.controller,
      api: ref.routeApi === "gateway" ? "gateway" : "native",
      namespace: ref.controllerNamespace,
      className: ref.className,
      installGatewayApiCrds: false,
      // Never installed by an app part: the schema's own defaults, so the cross-section rules see a valid controller.
      replicas: ingressEnvironmentDefaults[own.environment].replicas ?? ingressControllerShape.replicas.parse(undefined),
      drainSeconds: ingressControllerShape.drainSeconds.parse(undefined),
      values: {},
    },
    tls: { ...own.tls, certManager: { install: false, namespace: ref.certManager?.namespace ?? "cert-manager", protect: false, values: {} } },
    autoscaling: { ...own.autoscaling, engine: ref.autoscalingEngine ?? "keda", install: false, chartValues: {} },
  };
}

/** What the app asks of the cluster, checked against what the reference says it has. */
function clusterProvides(service: ServiceSettings): RuleProblem[] {
  const ref = service.cluster;
  const problems: RuleProblem[] = [];
  if (service.tls.enabled && !ref.certManager) {
    problems.push({ path: ["tls", "enabled"], given: true, allowed: "false, or a cluster reference with certManager (the cluster part runs none)" });
  }
  if (service.autoscaling.enabled && !ref.autoscalingEngine) {
    problems.push({ path: ["autoscaling", "enabled"], given: true, allowed: "false, or a cluster reference with an autoscalingEngine (the cluster part runs none)" });
  }
  const mesh = service.mesh.provider;
  const controllerInMesh = mesh === ref.mesh || ingressControllers[ref.controller].features.meshProxy === mesh;
  if (mesh !== "none" && !controllerInMesh) {
    problems.push({ path: ["mesh", "provider"], given: mesh, allowed: `none or ${ref.mesh} (the mesh the cluster's controller is enrolled in: it must hold a mesh identity to reach meshed pods)` });
  }
  const max = ref.maxConnectionLifetimeSeconds;
  if (max !== undefined && service.app.connectionLifetimeSeconds > max) {
    problems.push({
      path: ["app", "connectionLifetimeSeconds"],
      given: service.app.connectionLifetimeSeconds,
      allowed: `at most ${max} (the controller's timeouts cut longer connections; raise the cluster's ingress.connectionLifetimeSeconds)`,
    });
  }
  return problems;
}

export interface ResolvedService {
  service: ServiceSettings;
  settings: PlatformSettings;
  warnings: string[];
}

/** Environment defaults, the schema, the reference, then every rule across sections: one ConfigError listing all problems. */
export function resolveServiceConfig(raw: unknown, style: KeyStyle): ResolvedService {
  const merged = withEnvironmentDefaults(raw, serviceEnvironmentDefaults);
  const service = parseConfig(serviceSchema, merged, style);
  const settings = platformSettingsOf(service);
  const problems = [...clusterProvides(service), ...platformProblems(settings)];
  if (problems.length > 0) {
    throw new ConfigError(problems.map((p) => problemAt(p.path, p.given, p.allowed, style)));
  }
  // Hosts that are an Output get the same checks when they resolve: the schema's, then every rule with them in place.
  const hosts =
    knownHosts(settings.ingress.hosts) ??
    checkedInput(pulumi.output(settings.ingress.hosts), hostNames, ["ingress", "hosts"], style, (resolved) => platformProblems(withHosts(settings, resolved)));
  const checked = { ...settings, ingress: { ...settings.ingress, hosts } };
  // The smoke test dials the controller's Service the reference names (warnings read what the user wrote).
  return { service, settings: withDerivedSmokeTestAddress(checked, service.cluster.controllerService), warnings: platformWarningsOf(settings) };
}
