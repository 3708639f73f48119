import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { checkedInput } from "../config/checkedInput";
import { AppArgs, appSchema, pinnedImage } from "../config/schema/app";
import { ConfigError } from "../config/configError";
import { parseConfig } from "../config/parse";
import { selectorLabels, standardLabels, versionFromImage } from "../labels";
import { objectName } from "../naming";
import { deploymentSpec } from "./deploymentSpec";
import { anyOrigin } from "./origin";
import { originEnvironment } from "./runtimeEnvironment";
import { runtimeEnvironmentNames } from "./runtimeEnvironmentNames";
import { metricsAppProtocol, metricsPortName, webSocketAppProtocol, webSocketPortName } from "./ports";

/** WebSocketApp's arguments: the `app` settings plus where it runs and what other parts add to its pods. */
export interface WebSocketAppArgs extends AppArgs {
  /** Namespace to create the objects in. */
  namespace: pulumi.Input<string>;
  /** Leave spec.replicas to an autoscaler (KEDA or an HPA) so `pulumi up` does not fight it. */
  replicasOwnedByAutoscaler?: boolean;
  /** Extra pod labels, e.g. from a mesh. */
  podLabels?: Record<string, string>;
  /** Extra pod annotations, e.g. mesh injection. */
  podAnnotations?: Record<string, string>;
  /**
   * Origins whose pages may open the WebSocket, as the server's ALLOWED_ORIGINS (exact scheme://host[:port], or "*"
   * alone); unset: the container is not told (WebSocketService always tells it, from ingress.allowedOrigins).
   */
  allowedOrigins?: pulumi.Input<string[]>;
  /** ALLOW_MISSING_ORIGIN: accept upgrades without an Origin header (native clients). Default false. */
  allowMissingOrigin?: boolean;
}

/** The container's origin variables; origins that are an Output are checked when they resolve (one logged line, then the update fails). */
function originEnvOf(allowedOrigins: pulumi.Input<string[]> | undefined, allowMissingOrigin: boolean | undefined): Record<string, pulumi.Input<string>> {
  if (allowedOrigins === undefined) return {};
  if (!Array.isArray(allowedOrigins)) {
    const env = pulumi.output(allowedOrigins).apply((resolved) => {
      try {
        return plainOriginEnvOf(resolved, allowMissingOrigin);
      } catch (error) {
        pulumi.log.error((error as Error).message);
        throw error;
      }
    });
    const n = runtimeEnvironmentNames;
    return { [n.allowedOrigins]: env.apply((e) => e[n.allowedOrigins]), [n.allowMissingOrigin]: String(allowMissingOrigin ?? false) };
  }
  return plainOriginEnvOf(allowedOrigins, allowMissingOrigin);
}

/** The container's origin variables, or a ConfigError naming the key when an origin is not one. */
function plainOriginEnvOf(allowedOrigins: string[], allowMissingOrigin: boolean | undefined): Record<string, string> {
  try {
    return originEnvironment({ allowedOrigins: allowedOrigins.includes(anyOrigin) ? anyOrigin : allowedOrigins, allowMissingOrigin: allowMissingOrigin ?? false });
  } catch (error) {
    const allowed = 'exact origins scheme://host[:port] such as https://app.example.com, or ["*"] for any (with allowMissingOrigin true for an empty list)';
    throw new ConfigError([{ key: "WebSocketApp args.allowedOrigins", given: JSON.stringify(allowedOrigins), allowed: `${allowed} (${(error as Error).message})` }]);
  }
}

/**
 * A WebSocket application: ServiceAccount, Deployment, Service and PodDisruptionBudget, built so that
 * connections survive rollouts and node drains.
 */
export class WebSocketApp extends pulumi.ComponentResource {
  public readonly namespace: pulumi.Output<string>;
  public readonly deploymentName: pulumi.Output<string>;
  public readonly serviceName: pulumi.Output<string>;
  public readonly servicePort: pulumi.Output<number>;
  public readonly metricsPort: pulumi.Output<number>;
  public readonly selector: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: WebSocketAppArgs, opts?: pulumi.ComponentResourceOptions) {
    const { namespace, replicasOwnedByAutoscaler, podLabels, podAnnotations, allowedOrigins, allowMissingOrigin, ...appArgs } = args;
    // Validate before super(): bad args register nothing, not even this component.
    const keys = { prefix: "WebSocketApp args." };
    const parsed = parseConfig(appSchema, appArgs, keys);
    // Outputs (an image from a build stack, a secret) are checked when they resolve; secrets stay secret.
    const app = {
      ...parsed,
      image: checkedInput(parsed.image, pinnedImage, ["image"], keys),
      env: Object.fromEntries(Object.entries(parsed.env).map(([k, v]) => [k, checkedInput(v, z.string(), ["env", k], keys)])),
    };
    const originEnv = originEnvOf(allowedOrigins, allowMissingOrigin);
    super("websocket-platform:index:WebSocketApp", name, {}, opts);
    const identity = {
      name: app.name,
      instance: name,
      component: "server",
      version: typeof app.image === "string" ? versionFromImage(app.image) : undefined,
    };
    const labels = standardLabels(identity);
    const selector = selectorLabels(identity);
    const objectBase = objectName(app.name);
    const metadata = { name: objectBase, namespace, labels };

    const serviceAccount = new k8s.core.v1.ServiceAccount(
      `${name}-sa`,
      { metadata, automountServiceAccountToken: false },
      { parent: this },
    );

    const deployment = new k8s.apps.v1.Deployment(
      `${name}-deployment`,
      {
        metadata: {
          ...metadata,
          // Let rollouts finish their drain before Pulumi reports success; the await follows the Deployment's own status.
          annotations: { "pulumi.com/timeoutSeconds": "900" },
        },
        spec: deploymentSpec({
          app,
          serviceAccountName: serviceAccount.metadata.name,
          selector,
          podLabels: { ...(podLabels ?? {}), ...labels },
          podAnnotations: podAnnotations ?? {},
          replicasOwnedByAutoscaler: replicasOwnedByAutoscaler ?? false,
          originEnv,
        }),
      },
      { parent: this },
    );

    const service = new k8s.core.v1.Service(
      `${name}-service`,
      {
        metadata,
        spec: {
          type: "ClusterIP",
          selector,
          // No ClientIP affinity (unlike the guide): behind an ingress every client shares the controller's IP, so it would pin all traffic to one pod.
          ports: [
            // Guide correction: appProtocol kubernetes.io/ws (Istio reads HTTP), not the guide's http-prefixed port name.
            { name: webSocketPortName, port: app.port, targetPort: webSocketPortName, protocol: "TCP", appProtocol: webSocketAppProtocol },
            { name: metricsPortName, port: app.metricsPort, targetPort: metricsPortName, protocol: "TCP", appProtocol: metricsAppProtocol },
          ],
        },
      },
      { parent: this },
    );

    new k8s.policy.v1.PodDisruptionBudget(
      `${name}-pdb`,
      {
        metadata,
        spec: {
          maxUnavailable: app.disruptionBudget.maxUnavailable,
          selector: { matchLabels: selector },
          // Crash-looping pods must not block node drains; only healthy pods count against the budget.
          unhealthyPodEvictionPolicy: "AlwaysAllow",
        },
      },
      { parent: this },
    );

    this.namespace = pulumi.output(namespace);
    this.deploymentName = deployment.metadata.name;
    this.serviceName = service.metadata.name;
    this.servicePort = pulumi.output(app.port);
    this.metricsPort = pulumi.output(app.metricsPort);
    this.selector = pulumi.output(selector);
    this.registerOutputs({
      namespace: this.namespace,
      deploymentName: this.deploymentName,
      serviceName: this.serviceName,
      servicePort: this.servicePort,
      metricsPort: this.metricsPort,
      selector: this.selector,
    });
  }
}
