import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { charts } from "../charts";
import { ClusterSettings } from "../cluster/clusterSettings";
import { PlatformSettings } from "../config/schema/platform";
import { exitMarginSeconds } from "../app/timings";
import { IngressControllerRelease, controllerNamespaceEnrolment } from "./controllerRelease";
import { fourDigitDuration } from "./durations";
import { gatewayHttp01Solver, gatewayRef, gatewayRouteObjects, sharedGateway, sharedGatewayOwner } from "./gatewayRoute";
import { nginxMaxConnectTimeoutSeconds } from "./nginx";
import { WebSocketRoute, routeLabels, routeObjectName, userValues } from "./routeCommon";
import { ControllerInstall, ControllerLocation, ControllerServiceRef, IngressController, InstalledController, PathTimeout, RouteInputs } from "./types";
import { ControllerPods, firstPod } from "./controllerPods";
import { RuleProblem } from "../config/rules/types";
import { maxObjectNameLength } from "../naming";

const releaseName = "nginx-gateway-fabric";
const gatewayLabel = "gateway.networking.k8s.io/gateway-name";

export function fabricNamespace(settings: { ingress: { namespace?: string } }): string {
  return settings.ingress.namespace ?? "nginx-gateway";
}

export function fabricClassName(settings: { ingress: { gatewayClassName?: string; className?: string } }): string {
  return settings.ingress.gatewayClassName ?? settings.ingress.className ?? "nginx";
}

/** The shared Gateway, and the name NGF gives its data plane ("<gateway>-<gatewayclass>": ServiceAccount, Service, Deployment). */
function fabricDataPlane(settings: ControllerLocation) {
  const gateway = gatewayRef(sharedGatewayOwner, fabricNamespace(settings), { http: 80, https: 443 });
  return { gateway, name: `${gateway.name}-${fabricClassName(settings)}` };
}

/** The longest GatewayClass name whose data plane name stays a 63-character label. */
export const fabricMaxClassNameLength = maxObjectNameLength - `${gatewayRef(sharedGatewayOwner, "", { http: 80, https: 443 }).name}-`.length;

/** Chart values for nginx/nginx-gateway-fabric 2.6.7; each key path is in the chart's values.schema.json (test fixture). */
export function fabricValues(cluster: ClusterSettings): Record<string, unknown> {
  const replicas = cluster.ingress.replicas;
  const preStop = cluster.ingress.preStopSeconds;
  const drain = cluster.ingress.drainSeconds;
  return {
    nginxGateway: {
      gatewayClassName: fabricClassName(cluster),
      replicas,
      // Snippets inject raw NGINX config: off, as with ingress-nginx.
      snippets: { enable: false },
      snippetsFilters: { enable: false },
      // No usage reports leave the cluster unless the user opts in.
      productTelemetry: { enable: false },
      metrics: { enable: true },
    },
    // The data plane: one NGINX Deployment per Gateway, in the Gateway's namespace, shaped by the chart's NginxProxy.
    nginx: {
      replicas,
      // The kubelet's sleep while load balancers drop the pod; then NGINX quits gracefully, its open connections cut at the grace period.
      container: { lifecycle: { preStop: { sleep: { seconds: preStop } } } },
      pod: { terminationGracePeriodSeconds: preStop + drain + exitMarginSeconds },
    },
  };
}

/** NGINX Gateway Fabric's ProxySettingsPolicy spec: HTTPRoute timeouts are not implemented (conformance report), this is its documented way. */
export function proxySettingsSpec(settings: PlatformSettings, routeName: string): Record<string, unknown> {
  const lifetime = fourDigitDuration(settings.app.connectionLifetimeSeconds);
  return {
    targetRefs: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: routeName }],
    timeout: { connect: fourDigitDuration(settings.ingress.connectTimeoutSeconds), read: lifetime, send: lifetime },
    buffering: { disable: true },
  };
}

/** NGINX Gateway Fabric: Gateway API only, installed by Helm; the upstream path after ingress-nginx. */
export const nginxGatewayFabricController: IngressController = {
  name: "nginx-gateway-fabric",
  features: {
    // Its native API is Gateway API: both values mean Gateway + HTTPRoute.
    apis: ["native", "gateway"],
    nativeApiIsGateway: true,
    // Session persistence is NGINX Plus only.
    sessionAffinity: [],
    rateLimit: [],
    maxConnectionsPerClient: [],
    cors: [],
    originAtEdge: ["native", "gateway"],
    maxConnectTimeoutSeconds: nginxMaxConnectTimeoutSeconds,
  },

  install(name: string, cluster: ClusterSettings, opts: pulumi.ComponentResourceOptions): InstalledController {
    const namespace = fabricNamespace(cluster);
    const className = fabricClassName(cluster);
    // One Gateway for every app: NGF provisions an NGINX Deployment per Gateway, so a Gateway per app would mean a data plane per app.
    const { gateway, name: dataPlane } = fabricDataPlane(cluster);
    const facts = {
      controller: "nginx-gateway-fabric" as const,
      className,
      // The data plane NGF provisions for the Gateway runs in the Gateway's namespace, labelled with its name.
      namespace,
      podLabels: { [gatewayLabel]: gateway.name },
      serviceAccountName: dataPlane,
      service: nginxGatewayFabricController.controllerService(cluster),
      routeApi: "gateway" as const,
      gateway,
    };
    const release = cluster.ingress.gatewayClassName
      ? undefined
      : new IngressControllerRelease(
          name,
          {
            ...controllerNamespaceEnrolment(cluster),
            namespace,
            pin: charts.nginxGatewayFabric,
            releaseName,
            values: fabricValues(cluster),
            userValues: userValues(cluster),
            installGatewayApiCrds: cluster.ingress.installGatewayApiCrds,
            gatewayApiCrdsUrl: cluster.ingress.gatewayApiCrdsUrl,
          },
          opts,
        );
    const readyResources = release?.ready ?? [];
    const foundations = release?.foundations ?? [];
    sharedGateway(`${name}-shared-gateway`, gateway, className, { ...opts, dependsOn: readyResources });
    if (cluster.ingress.replicas > 1 && release) {
      // The chart has no disruption budget for the data plane it provisions per Gateway.
      new k8s.policy.v1.PodDisruptionBudget(
        `${name}-gateway-pdb`,
        {
          metadata: { name: `${gateway.name}-nginx`, namespace },
          spec: { maxUnavailable: 1, selector: { matchLabels: { [gatewayLabel]: gateway.name } }, unhealthyPodEvictionPolicy: "AlwaysAllow" },
        },
        { ...opts, dependsOn: foundations },
      );
    }
    return { ...facts, readyResources, foundations };
  },

  // The chart has no ServiceMonitor; the control plane (chart name and release labels) serves NGF's metrics on its "metrics" port.
  metricsPods: { podLabels: { "app.kubernetes.io/name": "nginx-gateway-fabric", "app.kubernetes.io/instance": releaseName }, port: "metrics", path: "/metrics" },

  // NGF names the data plane "<gateway>-<gatewayclass>" (ServiceAccount, Service, Deployment): it must stay a 63-character label.
  rules(cluster: ClusterSettings): RuleProblem[] {
    const key = cluster.ingress.gatewayClassName !== undefined ? "gatewayClassName" : "className";
    const className = fabricClassName(cluster);
    return className.length > fabricMaxClassNameLength
      ? [{ path: ["ingress", key], given: className, allowed: `at most ${fabricMaxClassNameLength} characters with nginx-gateway-fabric (its data plane is named ${sharedGatewayOwner}-gateway-<class>, a 63-character label)` }]
      : [];
  },

  controllerService(settings: ControllerLocation): ControllerServiceRef {
    // The data plane's Service carries the listeners' ports.
    const { gateway, name } = fabricDataPlane(settings);
    return { name, namespace: gateway.namespace, httpPort: gateway.httpPort, httpsPort: gateway.httpsPort };
  },

  // NGINX Gateway Fabric troubleshooting docs: the data plane's full configuration.
  configCommands(pods: ControllerPods): string[] {
    return [`kubectl exec -n ${pods.namespace} ${firstPod(pods)} -- nginx -T`];
  },

  route(inputs: RouteInputs, opts: pulumi.ComponentResourceOptions): pulumi.Resource[] {
    const { settings } = inputs;
    const group = new WebSocketRoute(inputs.name, { controller: "nginx-gateway-fabric", api: "gateway" }, opts);
    gatewayRouteObjects(inputs, group, { hstsFilter: true });
    const routeName = routeObjectName(settings);
    new k8s.apiextensions.CustomResource(
      `${inputs.name}-proxysettings`,
      {
        apiVersion: "gateway.nginx.org/v1alpha1",
        kind: "ProxySettingsPolicy",
        metadata: { name: routeObjectName(settings, "proxy-settings"), namespace: inputs.namespace, labels: routeLabels(settings) },
        spec: proxySettingsSpec(settings, routeName),
      },
      // A policy finds its target route whenever it appears.
      { parent: group, dependsOn: inputs.install.readyResources },
    );
    return [group];
  },

  acmeHttp01Solver(install: ControllerInstall): Record<string, unknown> {
    return gatewayHttp01Solver(install.gateway!, install.http01SolverPod);
  },

  timeoutsOnPath(): PathTimeout[] {
    // The read/send timeouts live in our ProxySettingsPolicy, derived from the lifetime; chart values do not reach them.
    return [];
  },
};
