import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { IGateway } from "@kubernetes-models/istio/networking.istio.io/v1/Gateway" with { "resolution-mode": "import" };
import type { IVirtualService } from "@kubernetes-models/istio/networking.istio.io/v1/VirtualService" with { "resolution-mode": "import" };
import { charts } from "../charts";
import { IstioSettings, istioSettings } from "../config/schema/mesh";
import { ClusterSettings } from "../cluster/clusterSettings";
import { PlatformSettings } from "../config/schema/platform";
import { KnownHosts, onceHostsKnown } from "../config/knownHosts";
import { exitMarginSeconds } from "../app/timings";
import { chartRelease } from "../helm/chartRelease";
import { istioDestinationRule } from "../mesh/istioDestinationRule";
import { PlatformNamespace } from "../namespace/namespace";
import { objectName } from "../naming";
import { strictTransportSecurity } from "../tls/hsts";
import { isAcmeIssuer } from "../tls/issuers";
import { edgeOrigins, originPolicyOf } from "./allowedOrigins";
import { ControllerLocation, ControllerServiceRef, IngressController, InstalledController, PathTimeout, RouteInputs } from "./types";
import { ControllerPods } from "./controllerPods";

export type GatewaySpec = NonNullable<IGateway["spec"]>;
export type VirtualServiceSpec = NonNullable<IVirtualService["spec"]>;

/**
 * Release name `istio-ingressgateway`: the chart derives the pod labels `app: istio-ingressgateway`, `istio: ingressgateway`
 * from it, and `istio: ingressgateway` is meshConfig's default ingressSelector, so cert-manager's HTTP-01 solver
 * Ingress (class istio) is served by this gateway too.
 */
export const istioGatewayReleaseName = "istio-ingressgateway";
export const istioGatewayPodLabels = { app: istioGatewayReleaseName, istio: "ingressgateway" };

/** Retry only what never reached a pod: a replayed upgrade would open a second socket behind the client's back. */
export const webSocketRetryOn = "connect-failure,refused-stream";

/** Chart values for the gateway: fixed replicas (sockets do not follow CPU), restricted pods, the controller drain (ingress.drainSeconds). */
export function istioGatewayValues(cluster: ClusterSettings, istio: IstioSettings): Record<string, unknown> {
  // Envoy keeps accepting while it drains (no preStop needed), then exits; the kubelet waits a margin longer.
  const drainSeconds = cluster.ingress.drainSeconds;
  return {
    ...(istio.revision !== "" ? { revision: istio.revision } : {}),
    replicaCount: istio.gateway.replicas,
    autoscaling: { enabled: false },
    service: { type: istio.gateway.serviceType },
    // The chart's default only sets the sysctl; Pod Security restricted also needs a seccomp profile.
    securityContext: {
      sysctls: [{ name: "net.ipv4.ip_unprivileged_port_start", value: "0" }],
      seccompProfile: { type: "RuntimeDefault" },
    },
    podAnnotations: { "proxy.istio.io/config": JSON.stringify({ terminationDrainDuration: `${drainSeconds}s` }) },
    terminationGracePeriodSeconds: drainSeconds + exitMarginSeconds,
    ...(istio.gateway.replicas > 1 ? { podDisruptionBudget: { maxUnavailable: 1 } } : {}),
    // The chart's own NetworkPolicy for the gateway namespace: ingress on its ports, egress to istiod and backends.
    global: { networkPolicy: { enabled: cluster.networkPolicy.enabled } },
  };
}

/** Guide corrections: Gateway/VirtualService are networking.istio.io/v1 (not v1beta1); no `websocketUpgrade` (removed: upgrades are on). */
export function gatewaySpec(settings: KnownHosts<PlatformSettings>, tlsSecretName: string | undefined): GatewaySpec {
  const hosts = settings.ingress.hosts;
  const tls = settings.tls.enabled && tlsSecretName !== undefined;
  // ACME HTTP-01 answers on plain port 80 (the solver Ingress Istio serves): redirect it only when no challenge needs it.
  const http01 = isAcmeIssuer(settings.tls.issuer) && settings.tls.solver === "http01";
  const servers: GatewaySpec["servers"] = [
    { port: { number: 80, name: "http", protocol: "HTTP" }, hosts, ...(tls && !http01 ? { tls: { httpsRedirect: true } } : {}) },
  ];
  if (tls) {
    servers.push({
      port: { number: 443, name: "https", protocol: "HTTPS" },
      hosts,
      tls: { mode: "SIMPLE", credentialName: tlsSecretName, minProtocolVersion: "TLSV1_2" },
    });
  }
  return { selector: istioGatewayPodLabels, servers };
}

type HttpRoute = NonNullable<VirtualServiceSpec["http"]>[number];
type HttpMatch = NonNullable<HttpRoute["match"]>[number];

/** The status a page on a foreign origin gets from the gateway, as from the app itself. */
export const refusedOriginStatus = 403;

/**
 * The VirtualService's routes, tried in order: allowed origins (exact `origin` header) to the app; with native clients
 * allowed, any other Origin refused and then requests without one to the app; without, everything else refused.
 * `origin: {}` is a presence match (Istio turns an empty StringMatch into present_match).
 */
export function virtualServiceSpec(
  settings: KnownHosts<PlatformSettings>,
  gatewayRef: string,
  serviceName: string,
  servicePort: number,
  tls: boolean,
): VirtualServiceSpec {
  const istio = istioSettings(settings.mesh);
  // With TLS on, only the HTTPS server routes to the app (port 80 stays for ACME HTTP-01): no cleartext WebSockets.
  const port = tls ? 443 : 80;
  const forward = (name: string, match: HttpMatch[]): HttpRoute => ({
    name,
    match,
    route: [{ destination: { host: serviceName, port: { number: servicePort } } }],
    ...(tls ? { headers: { response: { set: { "Strict-Transport-Security": strictTransportSecurity(settings.tls) ?? "" } } } } : {}),
    // No `timeout`: Istio's route timeout is off unless set, and any value would cut long-lived sockets (the guide's 0s is moot).
    retries: istio.retryAttempts > 0 ? { attempts: istio.retryAttempts, retryOn: webSocketRetryOn } : { attempts: 0 },
  });
  const refuse = (match: HttpMatch): HttpRoute => ({ name: "origin-refused", match: [match], directResponse: { status: refusedOriginStatus } });
  const origins = edgeOrigins(originPolicyOf(settings));
  if (origins === undefined) return { hosts: settings.ingress.hosts, gateways: [gatewayRef], http: [forward("websocket", [{ port }])] };
  const http = [forward("websocket", origins.map((origin) => ({ port, headers: { origin: { exact: origin } } })))];
  if (settings.ingress.allowMissingOrigin) http.push(refuse({ port, headers: { origin: {} } }), forward("websocket-without-origin", [{ port }]));
  else http.push(refuse({ port }));
  return { hosts: settings.ingress.hosts, gateways: [gatewayRef], http };
}

/** Istio's ingress gateway: installed by its Helm chart into its own namespace; expects Istio base and istiod in the cluster. */
export const istioController: IngressController = {
  name: "istio",
  // Gateway + VirtualService only; affinity is the mesh's DestinationRule (mesh.istio.loadBalancing), limits and CORS are not modelled.
  features: { apis: ["native"], sessionAffinity: [], rateLimit: [], maxConnectionsPerClient: [], cors: [], originAtEdge: ["native"], meshProxy: "istio" },

  timeoutsOnPath(cluster: ClusterSettings): PathTimeout[] {
    // The VirtualService sets no route timeout; the DestinationRule's idle timeouts are the connection lifetime itself.
    const lifetime = cluster.ingress.connectionLifetimeSeconds;
    return [{ path: ["ingress", "connectionLifetimeSeconds"], what: "Istio DestinationRule connection-pool idle timeout", seconds: lifetime, given: lifetime }];
  },

  install(name: string, cluster: ClusterSettings, opts: pulumi.ComponentResourceOptions): InstalledController {
    const istio = istioSettings(cluster.mesh);
    const namespace = istio.gateway.namespace;
    const ns = new PlatformNamespace(`${name}-namespace`, { name: namespace }, opts);
    const release = chartRelease(
      `${name}-gateway`,
      { pin: charts.istioGateway, releaseName: istioGatewayReleaseName, namespace: ns.name, values: istioGatewayValues(cluster, istio) },
      { ...opts, dependsOn: [ns] },
    );
    return {
      controller: "istio",
      className: "istio",
      namespace,
      podLabels: istioGatewayPodLabels,
      // The chart names the ServiceAccount after the release.
      serviceAccountName: istioGatewayReleaseName,
      service: istioController.controllerService(cluster),
      // credentialName Secrets are read from the gateway's own namespace.
      tlsSecretNamespace: namespace,
      routeApi: "native",
      readyResources: [release],
      foundations: [ns],
    };
  },

  controllerService(settings: ControllerLocation): ControllerServiceRef {
    // The gateway chart names its Service after the release (ports http2 80, https 443).
    return { name: istioGatewayReleaseName, namespace: istioSettings(settings.mesh).gateway.namespace, httpPort: 80, httpsPort: 443 };
  },

  // The gateway chart has no ServiceMonitor; Envoy serves Prometheus stats on the pods' http-envoy-prom port (15090).
  metricsPods: { podLabels: istioGatewayPodLabels, port: "http-envoy-prom", path: "/stats/prometheus" },

  // istioctl takes a bare pod name, not kubectl's pod/<name>.
  configCommands({ namespace, selector }: ControllerPods): string[] {
    return [`istioctl proxy-config routes -n ${namespace} "$(kubectl get pods -n ${namespace} -l ${selector} -o jsonpath='{.items[0].metadata.name}')"`];
  },

  nativeRouteCommands(): string[] {
    return [`kubectl get gateways.networking.istio.io,virtualservices.networking.istio.io,destinationrules.networking.istio.io -A`];
  },

  route(inputs: RouteInputs, opts: pulumi.ComponentResourceOptions): pulumi.Resource[] {
    const { settings, install } = inputs;
    const istio = istioSettings(settings.mesh);
    const app = settings.app.name;
    const tls = settings.tls.enabled && inputs.tlsSecretName !== undefined;
    const gatewayName = objectName(app, "gateway");
    const after = { ...opts, dependsOn: install.readyResources };
    const gateway = new k8s.apiextensions.CustomResource(
      `${inputs.name}-gateway`,
      {
        apiVersion: "networking.istio.io/v1",
        kind: "Gateway",
        // Guide correction: the Gateway lives with its Secret; the guide's Gateway in default could not read it.
        metadata: { name: gatewayName, namespace: install.namespace },
        spec: onceHostsKnown(settings, (known) => gatewaySpec(known, inputs.tlsSecretName)),
      },
      after,
    );
    const virtualService = new k8s.apiextensions.CustomResource(
      `${inputs.name}-virtual-service`,
      {
        apiVersion: "networking.istio.io/v1",
        kind: "VirtualService",
        metadata: { name: objectName(app, "websocket"), namespace: inputs.namespace },
        spec: pulumi
          .output(inputs.serviceName)
          .apply((service) => onceHostsKnown(settings, (known) => virtualServiceSpec(known, `${install.namespace}/${gatewayName}`, service, inputs.servicePort, tls))),
      },
      after,
    );
    const destinationRule = istioDestinationRule(
      `${inputs.name}-destination-rule`,
      { objectName: objectName(app, "websocket"), namespace: inputs.namespace, serviceName: inputs.serviceName, settings, istio },
      after,
    );
    return [gateway, virtualService, destinationRule];
  },

  acmeHttp01Solver(): Record<string, unknown> {
    // Istio serves Ingresses of class istio through the gateway labelled istio: ingressgateway (meshConfig ingressSelector).
    // Deliberate: `class`, not ingressClassName: no IngressClass for istio.io/ingress-controller is created here.
    return { ingress: { class: "istio" } };
  },
};
