import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { charts } from "../charts";
import { PlatformSettings } from "../config/schema/platform";
import { exitMarginSeconds } from "../app/timings";
import { IngressControllerRelease, controllerNamespaceEnrolment } from "./controllerRelease";
import { fourDigitDuration } from "./durations";
import { gatewayHttp01Solver, gatewayRef, gatewayRouteObjects } from "./gatewayRoute";
import { nginxMaxConnectTimeoutSeconds } from "./nginx";
import { WebSocketRoute, routeLabels, routeObjectName, userValues } from "./routeCommon";
import { ControllerInstall, IngressController, PathTimeout, RouteInputs } from "./types";

const releaseName = "nginx-gateway-fabric";
const gatewayLabel = "gateway.networking.k8s.io/gateway-name";

export function fabricNamespace(settings: PlatformSettings): string {
  return settings.ingress.namespace ?? "nginx-gateway";
}

export function fabricClassName(settings: PlatformSettings): string {
  return settings.ingress.gatewayClassName ?? settings.ingress.className ?? "nginx";
}

/** Chart values for nginx/nginx-gateway-fabric 2.6.7; each key path is in the chart's values.schema.json (test fixture). */
export function fabricValues(settings: PlatformSettings): Record<string, unknown> {
  const replicas = settings.ingress.replicas;
  const preStop = settings.app.drain.preStopSeconds;
  const drain = settings.ingress.drainSeconds;
  return {
    nginxGateway: {
      gatewayClassName: fabricClassName(settings),
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
    maxConnectTimeoutSeconds: nginxMaxConnectTimeoutSeconds,
  },

  install(name: string, settings: PlatformSettings, opts: pulumi.ComponentResourceOptions): ControllerInstall {
    const namespace = fabricNamespace(settings);
    const className = fabricClassName(settings);
    const gateway = gatewayRef(settings, namespace, { http: 80, https: 443 });
    const install = {
      controller: "nginx-gateway-fabric" as const,
      className,
      // The data plane NGF provisions for our Gateway runs in the Gateway's namespace, labelled with its name.
      namespace,
      podLabels: { [gatewayLabel]: gateway.name },
      serviceAccountName: `${gateway.name}-${className}`,
      tlsSecretNamespace: namespace,
      routeApi: "gateway" as const,
      gateway,
    };
    if (settings.ingress.gatewayClassName) return { ...install, readyResources: [], foundations: [] };
    const release = new IngressControllerRelease(
      name,
      {
        ...controllerNamespaceEnrolment(settings),
        namespace,
        pin: charts.nginxGatewayFabric,
        releaseName,
        values: fabricValues(settings),
        userValues: userValues(settings),
        installGatewayApiCrds: settings.ingress.installGatewayApiCrds,
      },
      opts,
    );
    return { ...install, readyResources: release.ready, foundations: release.foundations };
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
    const ref = inputs.install.gateway!;
    if (settings.ingress.replicas > 1 && !settings.ingress.gatewayClassName) {
      // The chart has no disruption budget for the data plane it provisions per Gateway.
      new k8s.policy.v1.PodDisruptionBudget(
        `${inputs.name}-gateway-pdb`,
        {
          metadata: { name: `${ref.name}-nginx`, namespace: ref.namespace, labels: routeLabels(settings) },
          spec: { maxUnavailable: 1, selector: { matchLabels: { [gatewayLabel]: ref.name } }, unhealthyPodEvictionPolicy: "AlwaysAllow" },
        },
        { parent: group, dependsOn: inputs.install.foundations },
      );
    }
    return [group];
  },

  acmeHttp01Solver(install: ControllerInstall): Record<string, unknown> {
    return gatewayHttp01Solver(install.gateway!);
  },

  timeoutsOnPath(): PathTimeout[] {
    // The read/send timeouts live in our ProxySettingsPolicy, derived from the lifetime; chart values do not reach them.
    return [];
  },
};
