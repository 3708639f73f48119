import type { IGateway } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Gateway" with { "resolution-mode": "import" };
import type { IHTTPRoute } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute" with { "resolution-mode": "import" };
import type { IHTTPRouteFilter } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRouteFilter" with { "resolution-mode": "import" };
import type { IHTTPRouteMatch } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRouteMatch" with { "resolution-mode": "import" };
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PlatformSettings } from "../config/schema/platform";
import { objectName } from "../naming";
import { strictTransportSecurity } from "../tls/hsts";
import { onceHostsKnown } from "../config/knownHosts";
import { onceRouteHostsKnown, routeLabels, routeObjectName } from "./routeCommon";
import { ControllerInstall, GatewayRef, KnownRouteInputs, RouteInputs } from "./types";
import { solverNetworkPolicy } from "./acmeSolverAccess";
import { edgeOrigins, originPolicyOf } from "./allowedOrigins";

export const gatewayApiVersion = "gateway.networking.k8s.io/v1";
const gatewayGroup = "gateway.networking.k8s.io";

/** Owner name of the one Gateway a cluster shares between its apps (object name websocket-gateway). */
export const sharedGatewayOwner = "websocket";

/** Label on an app namespace that lets its routes and ListenerSets attach to the shared Gateway named by the value. */
export const gatewayAccessLabel = "websocket-platform/gateway";

/** Namespaces that carry the shared Gateway's access label: least privilege instead of `from: All`. */
function labelledNamespaces(gateway: GatewayRef) {
  return { from: "Selector" as const, selector: { matchLabels: { [gatewayAccessLabel]: gateway.name } } };
}

/** The cluster's shared Gateway: a plain HTTP listener (redirects, ACME HTTP-01) and ListenerSets from labelled app namespaces. */
export function sharedGatewaySpec(gateway: GatewayRef, className: string): IGateway["spec"] & { allowedListeners: unknown } {
  return {
    gatewayClassName: className,
    // Each app brings its HTTPS listener (host, certificate) in a ListenerSet of its own namespace (Gateway API v1.5 standard).
    allowedListeners: { namespaces: labelledNamespaces(gateway) },
    listeners: [{ name: gateway.httpListener, port: gateway.httpPort, protocol: "HTTP", allowedRoutes: { namespaces: labelledNamespaces(gateway) } }],
  };
}

/** The shared Gateway object, created once by the cluster part. */
export function sharedGateway(name: string, gateway: GatewayRef, className: string, opts: pulumi.CustomResourceOptions): pulumi.Resource {
  return new k8s.apiextensions.CustomResource(
    name,
    { apiVersion: gatewayApiVersion, kind: "Gateway", metadata: { name: gateway.name, namespace: gateway.namespace }, spec: sharedGatewaySpec(gateway, className) },
    opts,
  );
}

/** An app's HTTPS listeners on the shared Gateway: one per host (a listener has one hostname), all with the app's certificate. */
export function listenerSetSpec(gateway: GatewayRef, hosts: string[], tlsSecretName: string): Record<string, unknown> {
  return {
    parentRef: { group: gatewayGroup, kind: "Gateway", name: gateway.name, namespace: gateway.namespace },
    listeners: hosts.map((host, index) => ({
      name: `${gateway.httpsListener}-${index}`,
      hostname: host,
      port: gateway.httpsPort,
      protocol: "HTTPS",
      tls: { mode: "Terminate", certificateRefs: [{ group: "", kind: "Secret", name: tlsSecretName }] },
    })),
  };
}

/** Where a Gateway named after its owner (an app, or the cluster for a shared one) goes, and how its listeners are numbered. */
export function gatewayRef(owner: string, namespace: string, ports: { http: number; https: number }): GatewayRef {
  return {
    name: objectName(owner, "gateway"),
    namespace,
    httpListener: "http",
    httpsListener: "https",
    httpPort: ports.http,
    httpsPort: ports.https,
  };
}

export interface GatewayRouteOptions {
  /** Filters for the app's rule beyond the standard ones (Traefik middlewares through ExtensionRef). */
  extraFilters?: IHTTPRouteFilter[];
  /** Set HSTS with the standard ResponseHeaderModifier filter (when the controller has no header policy of its own). */
  hstsFilter: boolean;
}

/** The Gateway spec: an HTTP listener (redirects, ACME HTTP-01) and, with TLS, an HTTPS one holding the certificate. */
export function gatewaySpec(inputs: RouteInputs, gateway: GatewayRef, appNamespace: string): IGateway["spec"] {
  // Routes from the app's namespace, and cert-manager's HTTP-01 routes from the Gateway's own (where the Certificate lives).
  const allowedRoutes = {
    namespaces: {
      from: "Selector" as const,
      selector: {
        matchExpressions: [
          { key: "kubernetes.io/metadata.name", operator: "In", values: [...new Set([appNamespace, gateway.namespace])] },
        ],
      },
    },
  };
  return {
    gatewayClassName: inputs.install.className,
    listeners: [
      { name: gateway.httpListener, port: gateway.httpPort, protocol: "HTTP", allowedRoutes },
      ...(inputs.tlsSecretName
        ? [
            {
              name: gateway.httpsListener,
              port: gateway.httpsPort,
              protocol: "HTTPS",
              tls: { mode: "Terminate" as const, certificateRefs: [{ group: "", kind: "Secret", name: inputs.tlsSecretName }] },
              allowedRoutes,
            },
          ]
        : []),
    ],
  };
}

/**
 * One match per allowed origin (`Origin` header, Exact: browsers send the normalised form), so a page on any other
 * origin, or a request without one, matches no rule and the Gateway answers 404 before the app sees it. Matches of one
 * rule, not one rule each: the filters stay in one place, and a rule takes 64 matches where a route takes 16 rules.
 * No edge filter when any origin, or a missing one, is allowed: Gateway API cannot match a missing header.
 */
export function originMatches(inputs: KnownRouteInputs): IHTTPRouteMatch[] {
  const everything: IHTTPRouteMatch = { path: { type: "PathPrefix", value: "/" } };
  const policy = originPolicyOf(inputs.settings);
  const origins = edgeOrigins(policy);
  if (origins === undefined || policy.allowMissingOrigin) return [everything];
  return origins.map((origin) => ({ ...everything, headers: [{ type: "Exact", name: "Origin", value: origin }] }));
}

/** The app's HTTPRoute: every host, all paths, to the Service, from allowed origins; on the HTTPS listener when TLS is on. */
export function appRouteSpec(inputs: KnownRouteInputs, gateway: GatewayRef, serviceName: string, options: GatewayRouteOptions): IHTTPRoute["spec"] {
  const tls = inputs.tlsSecretName !== undefined;
  const filters: IHTTPRouteFilter[] = [...(options.extraFilters ?? [])];
  const hsts = strictTransportSecurity(inputs.settings.tls);
  if (tls && options.hstsFilter && hsts !== undefined) {
    filters.push({ type: "ResponseHeaderModifier", responseHeaderModifier: { set: [{ name: "Strict-Transport-Security", value: hsts }] } });
  }
  const parent = tls && inputs.install.sharedGateway
    ? { group: gatewayGroup, kind: "ListenerSet", name: listenerSetName(inputs.settings) }
    : { group: gatewayGroup, kind: "Gateway", name: gateway.name, namespace: gateway.namespace, sectionName: tls ? gateway.httpsListener : gateway.httpListener };
  return {
    parentRefs: [parent],
    hostnames: inputs.settings.ingress.hosts,
    rules: [
      {
        matches: originMatches(inputs),
        ...(filters.length > 0 ? { filters } : {}),
        // No timeouts here: neither Traefik nor NGINX Gateway Fabric implements HTTPRoute timeouts (conformance reports); each strategy sets its own.
        backendRefs: [{ group: "", kind: "Service", name: serviceName, port: inputs.servicePort }],
      },
    ],
  };
}

/**
 * With TLS on, plain HTTP on the app's hosts answers with a permanent redirect to HTTPS, whatever the origin: a
 * WebSocket handshake does not follow redirects, so no socket opens on this route.
 */
export function redirectRouteSpec(inputs: KnownRouteInputs, gateway: GatewayRef): IHTTPRoute["spec"] {
  return {
    parentRefs: [{ group: gatewayGroup, kind: "Gateway", name: gateway.name, namespace: gateway.namespace, sectionName: gateway.httpListener }],
    hostnames: inputs.settings.ingress.hosts,
    rules: [{ filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] }],
  };
}

/** Gateway + HTTPRoute(s) for a Gateway API controller, children of `parent`. */
export function gatewayRouteObjects(
  inputs: RouteInputs,
  parent: pulumi.Resource,
  options: GatewayRouteOptions,
): void {
  const gateway = inputs.install.gateway;
  if (!gateway) throw new Error(`controller ${inputs.install.controller} has no Gateway for a Gateway API route`);
  const { settings } = inputs;
  const labels = routeLabels(settings);
  const wait = { parent, dependsOn: inputs.install.readyResources };

  // On a shared Gateway the certificate, and so cert-manager's solver pods, are in the app's namespace, under its default deny.
  if (inputs.install.sharedGateway) solverNetworkPolicy(inputs, parent);
  if (!inputs.install.sharedGateway) {
    new k8s.apiextensions.CustomResource(
      `${inputs.name}-gateway`,
      {
        apiVersion: gatewayApiVersion,
        kind: "Gateway",
        metadata: { name: gateway.name, namespace: gateway.namespace, labels },
        spec: pulumi.output(inputs.namespace).apply((appNamespace) => gatewaySpec(inputs, gateway, appNamespace)),
      },
      wait,
    );
  } else if (inputs.tlsSecretName) {
    const tlsSecretName = inputs.tlsSecretName;
    new k8s.apiextensions.CustomResource(
      `${inputs.name}-listenerset`,
      {
        apiVersion: gatewayApiVersion,
        kind: "ListenerSet",
        metadata: { name: listenerSetName(settings), namespace: inputs.namespace, labels },
        spec: onceHostsKnown(settings, ({ ingress }) => listenerSetSpec(gateway, ingress.hosts, tlsSecretName)),
      },
      wait,
    );
  }
  new k8s.apiextensions.CustomResource(
    `${inputs.name}-httproute`,
    {
      apiVersion: gatewayApiVersion,
      kind: "HTTPRoute",
      metadata: { name: routeObjectName(settings), namespace: inputs.namespace, labels },
      spec: pulumi.output(inputs.serviceName).apply((service) => onceRouteHostsKnown(inputs, (known) => appRouteSpec(known, gateway, service, options))),
    },
    // Routes attach to their Gateway whenever it appears: waiting for it would only lengthen `pulumi up`.
    wait,
  );
  if (inputs.tlsSecretName) {
    new k8s.apiextensions.CustomResource(
      `${inputs.name}-httproute-redirect`,
      {
        apiVersion: gatewayApiVersion,
        kind: "HTTPRoute",
        metadata: { name: routeObjectName(settings, "redirect"), namespace: inputs.namespace, labels },
        spec: onceRouteHostsKnown(inputs, (known) => redirectRouteSpec(known, gateway)),
      },
      wait,
    );
  }
}

/** The app's ListenerSet on a shared Gateway. */
export function listenerSetName(settings: PlatformSettings): string {
  return routeObjectName(settings, "listeners");
}

/** cert-manager reaches a Gateway API controller through an HTTPRoute on the Gateway's HTTP listener. */
export function gatewayHttp01Solver(gateway: GatewayRef, solverPod?: ControllerInstall["http01SolverPod"]): Record<string, unknown> {
  return {
    gatewayHTTPRoute: {
      ...(solverPod ? { podTemplate: { metadata: solverPod } } : {}),
      // ClusterIP, as for Ingress solvers: no node port for the challenge.
      serviceType: "ClusterIP",
      parentRefs: [{ group: gatewayGroup, kind: "Gateway", name: gateway.name, namespace: gateway.namespace, sectionName: gateway.httpListener }],
    },
  };
}
