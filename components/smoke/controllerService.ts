import { PlatformSettings } from "../config/schema/platform";
import { istioSettings } from "../config/schema/mesh";
import { haproxyNamespace } from "../ingress/haproxy";
import { istioGatewayReleaseName } from "../ingress/istio";
import { nginxNamespace } from "../ingress/nginx";
import { fabricClassName, fabricNamespace } from "../ingress/nginx-gateway-fabric";
import { gatewayRef } from "../ingress/gatewayRoute";
import { traefikNamespace } from "../ingress/traefik";

/** The in-cluster Service in front of the chosen controller's data plane, with its plain-HTTP and HTTPS ports. */
export interface ControllerService {
  name: string;
  namespace: string;
  httpPort: number;
  httpsPort: number;
}

/**
 * The Service each controller's chart (or, for NGINX Gateway Fabric, its per-Gateway provisioning) creates; undefined
 * when nothing here installs the data plane (an existing GatewayClass) or it has no Service.
 * Belongs in each ingress strategy (a `service(settings)` member); kept here until the strategies take it.
 */
export function controllerService(settings: PlatformSettings): ControllerService | undefined {
  const web = { httpPort: 80, httpsPort: 443 };
  switch (settings.ingress.controller) {
    case "nginx":
      // Chart ingress-nginx, release ingress-nginx: "<fullname>-controller".
      return { name: "ingress-nginx-controller", namespace: nginxNamespace(settings), ...web };
    case "traefik":
      // Entry points web/websecure are exposed on 80/443 whether the route is an IngressRoute or Gateway API.
      return settings.ingress.gatewayClassName ? undefined : { name: "traefik", namespace: traefikNamespace(settings), ...web };
    case "haproxy":
      return { name: "haproxy-kubernetes-ingress", namespace: haproxyNamespace(settings), ...web };
    case "nginx-gateway-fabric": {
      if (settings.ingress.gatewayClassName) return undefined;
      // NGF provisions one data plane per Gateway, named "<gateway>-<gatewayclass>", with the listeners' ports.
      const namespace = fabricNamespace(settings);
      return { name: `${gatewayRef(settings, namespace, { http: 80, https: 443 }).name}-${fabricClassName(settings)}`, namespace, ...web };
    }
    case "istio":
      // Istio's gateway chart names the Service after the release (ports http2 80, https 443).
      return { name: istioGatewayReleaseName, namespace: istioSettings(settings.mesh).gateway.namespace, ...web };
    default:
      return undefined;
  }
}

export function serviceHost(service: ControllerService): string {
  return `${service.name}.${service.namespace}.svc.cluster.local`;
}

/** The port the smoke test must dial on the controller's Service: HTTPS with TLS on, plain HTTP without. */
export function smokeTestPort(service: ControllerService, tls: boolean): number {
  return tls ? service.httpsPort : service.httpPort;
}

/** host:port of the controller's Service for the smoke test, when the user gave none and a Service is known. */
export function derivedSmokeTestAddress(settings: PlatformSettings): string | undefined {
  const service = controllerService(settings);
  return service ? `${serviceHost(service)}:${smokeTestPort(service, settings.tls.enabled)}` : undefined;
}

/** A host:port that names a Service by cluster DNS (`<name>.<namespace>.svc[.<cluster domain>]`), split up. */
export function clusterServiceOf(address: string): { name: string; namespace: string; port: number } | undefined {
  const match = /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc(\.[a-z0-9.-]+)?:(\d+)$/.exec(address);
  return match ? { name: match[1], namespace: match[2], port: Number(match[4]) } : undefined;
}
