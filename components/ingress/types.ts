import * as pulumi from "@pulumi/pulumi";
import { ClusterSettings } from "../cluster/clusterSettings";
import { RuleProblem } from "../config/rules/types";
import { ControllerPods } from "./controllerPods";
import { PlatformSettings } from "../config/schema/platform";
import { KnownHosts } from "../config/knownHosts";
import { IngressApi, IngressControllerName } from "../config/schema/ingress";
import { MeshProvider, MeshSettings } from "../config/schema/mesh";

/** The Gateway a Gateway API route attaches to (created by the route, named at install so HTTP-01 can refer to it). */
export interface GatewayRef {
  name: string;
  namespace: string;
  /** Listener for plain HTTP (redirects, ACME HTTP-01). */
  httpListener: string;
  /** Listener for HTTPS, present when TLS is on. */
  httpsListener: string;
  /** Ports of the two listeners as the implementation expects them (Traefik: its entry-point ports). */
  httpPort: number;
  httpsPort: number;
}

/** The Service that receives the controller's traffic (DNS and load-balancer lookups, in-cluster smoke tests). */
export interface ControllerServiceRef {
  name: string;
  namespace: string;
  httpPort: number;
  httpsPort: number;
}

/** Pods that serve Prometheus metrics on a named container port. */
export interface MetricsPods {
  podLabels: Record<string, string>;
  port: string;
  path: string;
}

/** Where a controller runs, as both the cluster's settings and a one-app platform's settings say it. */
export interface ControllerLocation {
  ingress: { namespace?: string; className?: string; gatewayClassName?: string; api: IngressApi };
  mesh: MeshSettings;
}

/** Whether routes are Gateway API (HTTP-01 through gatewayHTTPRoute), Ingress (ingressClassName) or the controller's own CRDs. */
export const RouteApi = { ingress: "ingress", gateway: "gateway", native: "native" } as const;
export type RouteApi = (typeof RouteApi)[keyof typeof RouteApi];

/** What a strategy's install returns: facts every app needs (they become the ClusterReference) and what to wait for. */
export interface InstalledController {
  controller: IngressControllerName;
  className: string;
  namespace: string;
  podLabels: Record<string, string>;
  serviceAccountName: string;
  service?: ControllerServiceRef;
  routeApi: RouteApi;
  /** Namespace TLS Secrets must live in when the controller reads them from its own; absent: each app's namespace. */
  tlsSecretNamespace?: string;
  /** The Gateway every app attaches to (through ListenerSets), when the controller shares one. */
  gateway?: GatewayRef;
  readyResources: pulumi.Resource[];
  foundations: pulumi.Resource[];
}

/** What an installed (or existing) controller tells one app's parts: TLS, mesh and NetworkPolicies read only this. */
export interface ControllerInstall {
  controller: IngressControllerName;
  /** IngressClass or GatewayClass name routes refer to. */
  className: string;
  /** Namespace the controller's pods run in (NetworkPolicy peer, mesh identities). */
  namespace: string;
  /** Labels of the controller's data-plane pods (NetworkPolicy peer). */
  podLabels: Record<string, string>;
  /** Service account of the controller's data-plane pods (Linkerd/Istio identities). */
  serviceAccountName: string;
  /** Namespace where the route's TLS Secret must live (the Gateway's namespace for Gateway API, else the app's). */
  tlsSecretNamespace: pulumi.Input<string>;
  /** The TLS Secret (and cert-manager's HTTP-01 solver pods) live in the app's own namespace. */
  tlsInAppNamespace: boolean;
  routeApi: RouteApi;
  /** The Gateway routes attach to, when routeApi is gateway. */
  gateway?: GatewayRef;
  /** The Gateway is the cluster's, shared: the app adds its HTTPS listeners with a ListenerSet. */
  sharedGateway?: boolean;
  /** The controller is this mesh's own proxy (ControllerFeatures.meshProxy): its route owns the mesh's traffic policy. */
  meshProxy?: MeshProvider;
  /** Metadata for cert-manager's HTTP-01 solver pods (keeps them out of the app's mesh); none without a mesh. */
  http01SolverPod?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  /** Resources later parts wait for, e.g. the Helm release that installs the controller and its CRDs. */
  readyResources: pulumi.Resource[];
  /** What objects in the controller's namespace, or watching routes (cert-manager), wait for: its namespace and the Gateway API CRDs, never its workloads. */
  foundations: pulumi.Resource[];
}

/** Everything a route needs to send the app's WebSocket traffic to its Service. */
export interface RouteInputs {
  /** Logical name prefix for the route's objects. */
  name: string;
  settings: PlatformSettings;
  namespace: pulumi.Input<string>;
  serviceName: pulumi.Input<string>;
  servicePort: number;
  install: ControllerInstall;
  /** TLS Secret name when TLS is on (in install.tlsSecretNamespace). */
  tlsSecretName?: string;
  /** The app's mesh applies its policy only to traffic addressed to the Service (ServiceMesh.needsServiceAddress). */
  meshNeedsServiceAddress: boolean;
}

/** Route inputs once the hosts are known strings (they may be an Output until then). */
export type KnownRouteInputs = Omit<RouteInputs, "settings"> & { settings: KnownHosts<PlatformSettings> };

/** Optional route features, and the APIs on which a controller can do each. */
export interface ControllerFeatures {
  /** Route APIs the controller serves (native: its own; gateway: Gateway API). */
  apis: IngressApi[];
  sessionAffinity: IngressApi[];
  rateLimit: IngressApi[];
  maxConnectionsPerClient: IngressApi[];
  cors: IngressApi[];
  /** Route APIs on which the route itself refuses origins outside ingress.allowedOrigins (header matches). */
  originAtEdge: IngressApi[];
  /** Why it cannot elsewhere, for the preview warning. */
  originAtEdgeGap?: string;
  /** The controller's own API is Gateway API (both ingress.api values mean Gateway + HTTPRoute). */
  nativeApiIsGateway?: boolean;
  /** Its pods are already this mesh's proxies (their chart injects them), and its route carries the mesh's traffic policy. */
  meshProxy?: MeshProvider;
  /** It can send to the Service's address instead of pod IPs, which an Istio sidecar needs to originate mTLS. */
  upstreamToServiceAddress?: boolean;
  /** Largest connect timeout the proxy accepts, in seconds (NGINX: 75). */
  maxConnectTimeoutSeconds?: number;
}

/** One timeout a WebSocket passes through, as it will be configured, and the config key that sets it. */
export interface PathTimeout {
  /** Config path (under the platform config) to name in an error. */
  path: (string | number)[];
  /** What it is, for the error message. */
  what: string;
  /** Its value in seconds; undefined when the value is not a readable duration. */
  seconds: number | undefined;
  /** The value as written. */
  given: unknown;
}

/** One ingress controller: how it is installed, how it routes, and how cert-manager reaches it. */
export interface IngressController {
  readonly name: IngressControllerName;
  readonly features: ControllerFeatures;
  /** Install the controller (or describe an existing one) with `opts.parent` as the parent of what it creates. */
  install(name: string, cluster: ClusterSettings, opts: pulumi.ComponentResourceOptions): InstalledController;
  /** Where the controller's chart pods serve Prometheus metrics, for a PodMonitor when its chart renders no ServiceMonitor. */
  readonly metricsPods?: MetricsPods;
  /** Checks of the cluster's settings only this controller needs (names it derives, limits it has). */
  rules?(cluster: ClusterSettings): RuleProblem[];
  /** The Service in front of the data plane; undefined when nothing here installs it (an existing GatewayClass). */
  controllerService(settings: ControllerLocation): ControllerServiceRef | undefined;
  /** Runbook: where the controller's generated configuration can be read, from its data-plane pods. */
  configCommands(pods: ControllerPods): string[];
  /** Runbook: the controller's own route objects (native API) in the app's namespace; absent: Ingress objects. */
  nativeRouteCommands?(appNamespace: string): string[];
  /** Where an app's own Gateway goes when the controller has no shared one and the route is Gateway API. */
  appGateway?(appName: string, controllerNamespace: string): GatewayRef;
  /** The objects that route the app's WebSocket traffic through this controller. */
  route(inputs: RouteInputs, opts: pulumi.ComponentResourceOptions): pulumi.Resource[];
  /** cert-manager's ACME HTTP-01 solver for this controller (an `http01` solver body). */
  acmeHttp01Solver(install: ControllerInstall, inputs: { name: string; namespace: pulumi.Input<string> }): Record<string, unknown>;
  /** Every idle/read timeout on the WebSocket's path as it will be configured (ours merged with `ingress.values`). */
  timeoutsOnPath(cluster: ClusterSettings): PathTimeout[];
}
