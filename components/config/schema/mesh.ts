import { z } from "zod";
import { EnvironmentDefaults } from "../environment";
import { SameShape, affinityCookieName, dnsLabel, quantity } from "./common";

/** Service meshes the app can be enrolled in (one strategy file each under components/mesh/). */
export const MeshProvider = { none: "none", istio: "istio", linkerd: "linkerd" } as const;
export type MeshProvider = (typeof MeshProvider)[keyof typeof MeshProvider];

/** Istio data plane: a sidecar per pod, or the node-level ztunnel (ambient). */
export const IstioMode = { sidecar: "sidecar", ambient: "ambient" } as const;
export type IstioMode = (typeof IstioMode)[keyof typeof IstioMode];

/** Kubernetes Service types the Istio ingress gateway's Service may have. */
export const GatewayServiceType = { LoadBalancer: "LoadBalancer", NodePort: "NodePort", ClusterIP: "ClusterIP" } as const;
export type GatewayServiceType = (typeof GatewayServiceType)[keyof typeof GatewayServiceType];

/** CPU and memory of an injected proxy (Istio sidecar or Linkerd proxy). */
export interface ProxyResourcesArgs {
  cpuRequest?: string;
  memoryRequest?: string;
  cpuLimit?: string;
  memoryLimit?: string;
}

/** A workload identity allowed to open WebSocket connections to the app through the mesh. */
export interface MeshClientArgs {
  /** Namespace of the client's ServiceAccount. */
  namespace: string;
  /** Name of the client's ServiceAccount. */
  serviceAccount: string;
}

/** Connection-pool limits of each proxy towards the app's Service (Istio DestinationRule connectionPool; Envoy circuit breakers). */
export interface IstioConnectionPoolArgs {
  /** Upper bound of TCP connections (one per WebSocket) from one proxy to all the app's pods together. */
  maxConnections?: number;
  /** Requests queued while waiting for a connection. */
  http1MaxPendingRequests?: number;
  /** Concurrent requests (an open WebSocket counts as one) from one proxy to all the app's pods together. */
  http2MaxRequests?: number;
  /** TCP connect timeout to a pod, in seconds. */
  connectTimeoutSeconds?: number;
}

/** Passive health checking: pods that fail are taken out of the pool for a while. */
export interface IstioOutlierDetectionArgs {
  consecutive5xxErrors?: number;
  consecutiveGatewayErrors?: number;
  intervalSeconds?: number;
  baseEjectionSeconds?: number;
  maxEjectionPercent?: number;
}

/** How new WebSocket connections are spread over the app's pods by Istio proxies (gateway and sidecars). */
export interface IstioLoadBalancingArgs {
  /** Pin a client to a pod with a cookie (consistent hashing) instead of sending each new socket to the least busy pod. */
  sessionAffinity?: boolean;
  /** Cookie name for session affinity. */
  cookieName?: string;
  /** Cookie lifetime in seconds; 0 makes a session cookie. */
  cookieTtlSeconds?: number;
}

/** The Istio ingress gateway installed when `ingress.controller` is `istio`. */
export interface IstioGatewayArgs {
  /** Namespace of the gateway (and of its TLS Secret). */
  namespace?: string;
  /** Service type of the gateway. */
  serviceType?: GatewayServiceType;
  /** Gateway replicas (the chart's HPA is turned off: long-lived sockets do not follow CPU). */
  replicas?: number;
}

export interface IstioMeshArgs {
  /** sidecar (istio-injection) or ambient (ztunnel, istio.io/dataplane-mode). */
  mode?: IstioMode;
  /** Control-plane revision to enrol with (istio.io/rev); empty means the default revision. */
  revision?: string;
  /** Namespace of istiod. */
  controlPlaneNamespace?: string;
  /** Sidecar resources (sidecar mode only). */
  proxyResources?: ProxyResourcesArgs;
  /** Retries of a new connection that never reached a pod (connect failure, refused stream); never a replay. */
  retryAttempts?: number;
  loadBalancing?: IstioLoadBalancingArgs;
  connectionPool?: IstioConnectionPoolArgs;
  outlierDetection?: IstioOutlierDetectionArgs;
  gateway?: IstioGatewayArgs;
}

export interface LinkerdMeshArgs {
  /** Namespace of the Linkerd control plane. */
  controlPlaneNamespace?: string;
  /** Namespace of linkerd-viz, whose Prometheus scrapes the proxies' metrics; empty when viz is not installed. */
  vizNamespace?: string;
  /** Proxy resources, set as config.linkerd.io annotations. */
  proxyResources?: ProxyResourcesArgs;
}

/** Arguments of the service mesh part: `mesh` in stack config. */
export interface MeshArgs {
  /** Mesh the app namespace is enrolled in. */
  provider?: MeshProvider;
  /** Istio settings (mesh.provider istio, and the gateway when ingress.controller is istio). */
  istio?: IstioMeshArgs;
  /** Linkerd settings (mesh.provider linkerd). */
  linkerd?: LinkerdMeshArgs;
  /** Meshed workloads (besides the ingress controller) allowed to open WebSocket connections to the app. */
  clients?: MeshClientArgs[];
}

const positive = (max: number) => z.number().int().min(1).max(max);

const proxyResourcesSchema = z
  .strictObject({
    cpuRequest: quantity.optional().describe("Proxy CPU request, e.g. 100m."),
    memoryRequest: quantity.optional().describe("Proxy memory request, e.g. 64Mi."),
    cpuLimit: quantity.optional().describe("Proxy CPU limit (unset: no throttling of the proxy)."),
    memoryLimit: quantity.optional().describe("Proxy memory limit, e.g. 256Mi."),
  })
  .describe("Resources of the injected proxy.");

const loadBalancingDefaults = { sessionAffinity: false, cookieName: affinityCookieName, cookieTtlSeconds: 0 };
// Guide correction: the guide's connection-pool limits of 100 would cap each proxy at 100 sockets.
const connectionPoolDefaults = { maxConnections: 100000, http1MaxPendingRequests: 1024, http2MaxRequests: 100000, connectTimeoutSeconds: 5 };
const outlierDefaults = { consecutive5xxErrors: 5, consecutiveGatewayErrors: 3, intervalSeconds: 10, baseEjectionSeconds: 30, maxEjectionPercent: 50 };
const gatewayDefaults = { namespace: "istio-ingress", serviceType: "LoadBalancer" as const, replicas: 2 };

export const istioMeshSchema = z.strictObject({
  mode: z.enum(IstioMode).default("sidecar").describe("Istio data plane: sidecar or ambient."),
  revision: z
    .union([z.literal(""), dnsLabel])
    .default("")
    .describe("istiod revision to enrol with (istio.io/rev label); empty: the default revision (istio-injection: enabled)."),
  controlPlaneNamespace: dnsLabel.default("istio-system").describe("Namespace of istiod."),
  proxyResources: proxyResourcesSchema.optional().describe("Sidecar resources (sidecar.istio.io annotations); sidecar mode only."),
  retryAttempts: z
    .number()
    .int()
    .min(0)
    .max(5)
    .default(2)
    .describe("Retries of a connection that never reached a pod (connect-failure, refused-stream); upgrades are never replayed."),
  loadBalancing: z
    .strictObject({
      sessionAffinity: z.boolean().default(false).describe("Cookie-based consistent hashing instead of LEAST_REQUEST."),
      cookieName: z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,64}$/, "a cookie name: letters, digits, '_' and '-'")
        .default(affinityCookieName)
        .describe("Affinity cookie name; the ingress controllers' cookie, so both layers pin a client on the same one."),
      cookieTtlSeconds: z.number().int().min(0).max(31536000).default(0).describe("Affinity cookie lifetime; 0: a session cookie."),
    })
    .default(loadBalancingDefaults)
    .describe("How Istio proxies pick a pod for a new WebSocket."),
  connectionPool: z
    .strictObject({
      maxConnections: positive(10_000_000).default(100000).describe("Max TCP connections (one per WebSocket) from one proxy to all the app's pods together (an Envoy circuit breaker)."),
      http1MaxPendingRequests: positive(10_000_000).default(1024).describe("Max requests queued for a connection."),
      http2MaxRequests: positive(10_000_000).default(100000).describe("Max concurrent requests (an open WebSocket is one) from one proxy to all the app's pods together."),
      connectTimeoutSeconds: positive(60).default(5).describe("TCP connect timeout, in seconds."),
    })
    .default(connectionPoolDefaults)
    .describe("DestinationRule connection-pool limits."),
  outlierDetection: z
    .strictObject({
      consecutive5xxErrors: positive(1000).default(5).describe("5xx responses before a pod is ejected."),
      consecutiveGatewayErrors: positive(1000).default(3).describe("502/503/504 or connect failures before a pod is ejected."),
      intervalSeconds: positive(3600).default(10).describe("Seconds between ejection sweeps."),
      baseEjectionSeconds: positive(3600).default(30).describe("Minimum ejection time, in seconds."),
      maxEjectionPercent: z.number().int().min(0).max(100).default(50).describe("Most pods ejected at once, in percent."),
    })
    .default(outlierDefaults)
    .describe("DestinationRule outlier detection."),
  gateway: z
    .strictObject({
      namespace: dnsLabel.default("istio-ingress").describe("Namespace of the Istio ingress gateway and its TLS Secret."),
      serviceType: z.enum(GatewayServiceType).default("LoadBalancer").describe("Service type of the gateway."),
      replicas: positive(100).default(2).describe("Gateway replicas."),
    })
    .default(gatewayDefaults)
    .describe("The Istio ingress gateway (ingress.controller istio)."),
});

export const linkerdMeshSchema = z.strictObject({
  controlPlaneNamespace: dnsLabel.default("linkerd").describe("Namespace of the Linkerd control plane."),
  vizNamespace: z
    .union([z.literal(""), dnsLabel])
    .default("linkerd-viz")
    .describe("Namespace of linkerd-viz (its Prometheus scrapes proxy metrics); empty when viz is not installed."),
  proxyResources: proxyResourcesSchema.optional().describe("Linkerd proxy resources (config.linkerd.io annotations)."),
});

export const meshSchema = z.strictObject({
  provider: z.enum(MeshProvider).default("none").describe("Service mesh: none, istio or linkerd."),
  istio: istioMeshSchema.optional().describe("Istio settings (mesh.provider istio; the gateway part also for ingress.controller istio)."),
  linkerd: linkerdMeshSchema.optional().describe("Linkerd settings (mesh.provider linkerd)."),
  clients: z
    .array(
      z.strictObject({
        namespace: dnsLabel.describe("Namespace of the client's ServiceAccount."),
        serviceAccount: dnsLabel.describe("Name of the client's ServiceAccount."),
      }),
    )
    .max(15)
    .default([])
    .describe("Meshed workloads besides the ingress controller allowed to reach the WebSocket port (Istio AuthorizationPolicy / Linkerd MeshTLSAuthentication)."),
});

export type MeshSettings = z.output<typeof meshSchema>;
export type IstioSettings = z.output<typeof istioMeshSchema>;
export type LinkerdSettings = z.output<typeof linkerdMeshSchema>;
const meshShapeMatches: SameShape<z.input<typeof meshSchema>, MeshArgs> = true;
void meshShapeMatches;

/** Istio settings with their defaults when the user gave none. */
export function istioSettings(mesh: MeshSettings): IstioSettings {
  return mesh.istio ?? istioMeshSchema.parse({});
}

/** Linkerd settings with their defaults when the user gave none. */
export function linkerdSettings(mesh: MeshSettings): LinkerdSettings {
  return mesh.linkerd ?? linkerdMeshSchema.parse({});
}

export const meshEnvironmentDefaults: EnvironmentDefaults<Partial<MeshArgs>> = { dev: {}, staging: {}, prod: {} };
