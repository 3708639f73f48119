import { PolicySubject, isKind, metadataOf } from "./resources";

/** One backend a route sends traffic to, with the route object it came from. */
export interface RouteBackend {
  route: PolicySubject;
  /** `namespace/service` of the backend. */
  service: string;
  /** Index of the rule/route entry inside the route object, for messages. */
  rule: number;
}

/** Backends of Ingress, Traefik IngressRoute, Gateway API HTTPRoute and Istio VirtualService objects. */
export function routeBackends(subjects: PolicySubject[]): RouteBackend[] {
  const out: RouteBackend[] = [];
  for (const route of subjects) {
    const ns = metadataOf(route).namespace ?? "";
    const spec = route.props.spec ?? {};
    if (isKind(route, "networking.k8s.io", "Ingress")) {
      const paths = [
        ...(spec.defaultBackend ? [{ backend: spec.defaultBackend }] : []),
        ...(spec.rules ?? []).flatMap((r: any) => r.http?.paths ?? []),
      ];
      paths.forEach((p: any, i: number) => {
        if (p.backend?.service?.name) out.push({ route, service: `${ns}/${p.backend.service.name}`, rule: i });
      });
    } else if (isKind(route, "traefik.io", "IngressRoute")) {
      (spec.routes ?? []).forEach((r: any, i: number) => {
        for (const s of r.services ?? []) {
          if ((s.kind ?? "Service") === "Service") out.push({ route, service: `${s.namespace ?? ns}/${s.name}`, rule: i });
        }
      });
    } else if (isKind(route, "gateway.networking.k8s.io", "HTTPRoute")) {
      (spec.rules ?? []).forEach((r: any, i: number) => {
        for (const b of r.backendRefs ?? []) {
          if ((b.kind ?? "Service") === "Service" && (b.group ?? "") === "") out.push({ route, service: `${b.namespace ?? ns}/${b.name}`, rule: i });
        }
      });
    } else if (isKind(route, "networking.istio.io", "VirtualService")) {
      (spec.http ?? []).forEach((r: any, i: number) => {
        for (const d of r.route ?? []) {
          const host = d.destination?.host;
          if (typeof host === "string") out.push({ route, service: serviceKeyOfHost(host, ns), rule: i });
        }
      });
    }
  }
  return out;
}

/** `name`, `name.ns`, `name.ns.svc[.cluster.local]` → `ns/name` (Istio short names resolve in the rule's namespace). */
export function serviceKeyOfHost(host: string, namespace: string): string {
  const parts = host.split(".");
  return parts.length === 1 ? `${namespace}/${parts[0]}` : `${parts[1]}/${parts[0]}`;
}

/** The route objects the policies understand. */
export function isRoute(subject: PolicySubject): boolean {
  return (
    isKind(subject, "networking.k8s.io", "Ingress") ||
    isKind(subject, "traefik.io", "IngressRoute") ||
    isKind(subject, "gateway.networking.k8s.io", "HTTPRoute") ||
    isKind(subject, "networking.istio.io", "VirtualService")
  );
}
