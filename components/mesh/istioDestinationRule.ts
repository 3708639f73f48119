import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { IDestinationRule } from "@kubernetes-models/istio/networking.istio.io/v1/DestinationRule" with { "resolution-mode": "import" };
import { IstioSettings } from "../config/schema/mesh";
import { PlatformSettings } from "../config/schema/platform";

export type DestinationRuleSpec = NonNullable<IDestinationRule["spec"]>;

const seconds = (n: number) => `${n}s`;

/**
 * How every Istio proxy (the ingress gateway, sidecars) treats connections to the WebSocket Service. Guide corrections:
 * simple and consistentHash are exclusive (one of them, never both); outlierDetection uses consecutive5xxErrors /
 * consecutiveGatewayErrors (not consecutiveErrors); no h2UpgradePolicy UPGRADE and no maxRequestsPerConnection: 2.
 */
export function destinationRuleSpec(serviceHost: string, app: PlatformSettings["app"], istio: IstioSettings): DestinationRuleSpec {
  const { loadBalancing, connectionPool, outlierDetection } = istio;
  // Idle timeouts at least the connection lifetime, so a quiet socket is not cut before the app means to close it.
  const idleTimeout = seconds(app.connectionLifetimeSeconds);
  return {
    host: serviceHost,
    trafficPolicy: {
      loadBalancer: loadBalancing.sessionAffinity
        ? {
            consistentHash: {
              // ttl always set: without it the proxy never issues the cookie (no hash, no affinity); 0s issues a session cookie.
              httpCookie: { name: loadBalancing.cookieName, path: "/", ttl: seconds(loadBalancing.cookieTtlSeconds) },
            },
          }
        : // Each new socket goes to the pod with the fewest active requests (an open WebSocket is one), not round robin.
          { simple: "LEAST_REQUEST" },
      connectionPool: {
        tcp: {
          maxConnections: connectionPool.maxConnections,
          connectTimeout: seconds(connectionPool.connectTimeoutSeconds),
          idleTimeout,
        },
        http: {
          http1MaxPendingRequests: connectionPool.http1MaxPendingRequests,
          http2MaxRequests: connectionPool.http2MaxRequests,
          idleTimeout,
          // WebSocket is an HTTP/1.1 Upgrade; an h2 upstream connection cannot carry it.
          h2UpgradePolicy: "DO_NOT_UPGRADE",
        },
      },
      outlierDetection: {
        consecutive5xxErrors: outlierDetection.consecutive5xxErrors,
        consecutiveGatewayErrors: outlierDetection.consecutiveGatewayErrors,
        interval: seconds(outlierDetection.intervalSeconds),
        baseEjectionTime: seconds(outlierDetection.baseEjectionSeconds),
        maxEjectionPercent: outlierDetection.maxEjectionPercent,
      },
    },
  };
}

export interface IstioDestinationRuleArgs {
  /** Kubernetes object name. */
  objectName: string;
  namespace: pulumi.Input<string>;
  /** The app's Service name; resolved in the rule's namespace (the app's), so no cluster domain is assumed. */
  serviceName: pulumi.Input<string>;
  settings: PlatformSettings;
  istio: IstioSettings;
  labels?: Record<string, string>;
}

export function istioDestinationRule(resourceName: string, args: IstioDestinationRuleArgs, opts: pulumi.CustomResourceOptions): k8s.apiextensions.CustomResource {
  return new k8s.apiextensions.CustomResource(
    resourceName,
    {
      apiVersion: "networking.istio.io/v1",
      kind: "DestinationRule",
      metadata: { name: args.objectName, namespace: args.namespace, ...(args.labels ? { labels: args.labels } : {}) },
      spec: pulumi.output(args.serviceName).apply((service) => destinationRuleSpec(service, args.settings.app, args.istio)),
    },
    opts,
  );
}
