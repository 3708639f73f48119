import type { StackValidationPolicy } from "@pulumi/policy";
import { Finding, stackPolicy } from "../lib/define";
import { PolicySubject, describe, isKind, metadataOf } from "../lib/resources";
import { routeBackends, serviceKeyOfHost } from "../lib/routes";
import { webSocketServiceKeys } from "../lib/workloads";

/** How one load balancer keeps a client on one pod: by cookie (name), header (name), client IP, or not at all. */
interface Affinity {
  kind: "cookie" | "header" | "source-ip";
  /** Cookie or header name; undefined when the balancer picks one itself. */
  key?: string;
  where: PolicySubject;
  detail: string;
}

/** HAProxy 3.2 reads cookie-persistence only from its ConfigMap (the chart's controller.config), per ingress class. */
function haproxyChartCookies(subjects: PolicySubject[]): Map<string, Affinity> {
  const byClass = new Map<string, Affinity>();
  for (const release of subjects.filter((s) => s.type === "kubernetes:helm.sh/v3:Release" && s.props.chart === "kubernetes-ingress")) {
    const controller = release.props.values?.controller ?? {};
    const key = controller.config?.["cookie-persistence"];
    if (typeof key === "string" && key !== "") {
      byClass.set(controller.ingressClass ?? "haproxy", { kind: "cookie", key, where: release, detail: `HAProxy cookie-persistence "${key}" (controller.config of release ${release.name})` });
    }
  }
  return byClass;
}

function ingressAffinity(route: PolicySubject, rule: number, haproxyCookies: Map<string, Affinity>): Affinity | undefined {
  const a = metadataOf(route).annotations;
  if (isKind(route, "networking.k8s.io", "Ingress")) {
    if (a["nginx.ingress.kubernetes.io/affinity"] === "cookie") {
      // ingress-nginx's default cookie name (annotations.md, session-cookie-name).
      const key = a["nginx.ingress.kubernetes.io/session-cookie-name"] ?? "INGRESSCOOKIE";
      return { kind: "cookie", key, where: route, detail: `nginx cookie affinity "${key}"` };
    }
    const hashBy = a["nginx.ingress.kubernetes.io/upstream-hash-by"];
    if (hashBy) {
      const header = /^\$http_([a-z0-9_]+)$/.exec(hashBy)?.[1]?.replace(/_/g, "-");
      const cookie = /^\$cookie_([A-Za-z0-9_]+)$/.exec(hashBy)?.[1];
      if (cookie) return { kind: "cookie", key: cookie, where: route, detail: `nginx upstream-hash-by ${hashBy}` };
      if (header) return { kind: "header", key: header, where: route, detail: `nginx upstream-hash-by ${hashBy}` };
      if (hashBy === "$remote_addr" || hashBy === "$binary_remote_addr") return { kind: "source-ip", where: route, detail: `nginx upstream-hash-by ${hashBy}` };
    }
    for (const prefix of ["haproxy.org", "haproxy.com", "ingress.kubernetes.io"]) {
      const key = a[`${prefix}/cookie-persistence`];
      if (key) return { kind: "cookie", key, where: route, detail: `HAProxy cookie-persistence "${key}"` };
    }
    const fromChart = haproxyCookies.get(route.props.spec?.ingressClassName ?? "");
    if (fromChart) return fromChart;
  }
  if (isKind(route, "traefik.io", "IngressRoute")) {
    const svc = (route.props.spec?.routes?.[rule]?.services ?? []).find((s: any) => s.sticky?.cookie);
    if (svc) return { kind: "cookie", key: svc.sticky.cookie.name, where: route, detail: `Traefik sticky cookie "${svc.sticky.cookie.name ?? "(generated)"}"` };
  }
  if (isKind(route, "gateway.networking.k8s.io", "HTTPRoute")) {
    const sp = route.props.spec?.rules?.[rule]?.sessionPersistence;
    if (sp) {
      const kind = sp.type === "Header" ? "header" : "cookie";
      return { kind, key: sp.sessionName, where: route, detail: `Gateway API sessionPersistence ${sp.type ?? "Cookie"} "${sp.sessionName ?? "(generated)"}"` };
    }
  }
  return undefined;
}

/** The mesh's choice for a DestinationRule: an affinity, "balanced" (an explicit simple policy), or none said. */
function meshAffinity(rule: PolicySubject): Affinity | "balanced" | undefined {
  const lb = rule.props.spec?.trafficPolicy?.loadBalancer;
  if (!lb) return undefined;
  const hash = lb?.consistentHash;
  if (hash?.httpCookie) return { kind: "cookie", key: hash.httpCookie.name, where: rule, detail: `Istio consistentHash httpCookie "${hash.httpCookie.name}"` };
  if (hash?.httpHeaderName) return { kind: "header", key: String(hash.httpHeaderName).toLowerCase(), where: rule, detail: `Istio consistentHash httpHeaderName "${hash.httpHeaderName}"` };
  if (hash?.useSourceIp) return { kind: "source-ip", where: rule, detail: "Istio consistentHash useSourceIp" };
  return "balanced";
}

function same(a: Affinity, b: Affinity): boolean {
  if (a.kind !== b.kind) return false;
  if (a.key === undefined || b.key === undefined) return a.key === b.key;
  return a.kind === "header" ? a.key.toLowerCase() === b.key.toLowerCase() : a.key === b.key;
}

/** Disagreements between the ingress's and the mesh's session affinity for the same WebSocket Service. */
export function affinityFindings(subjects: PolicySubject[]): Finding[] {
  const findings: Finding[] = [];
  const wsServices = webSocketServiceKeys(subjects);
  const backends = routeBackends(subjects).filter((b) => wsServices.has(b.service));
  const rules = subjects.filter((s) => isKind(s, "networking.istio.io", "DestinationRule"));
  const haproxyCookies = haproxyChartCookies(subjects);
  for (const service of wsServices) {
    const mine = backends.filter((b) => b.service === service);
    const ingress = mine.map((b) => ({ b, a: ingressAffinity(b.route, b.rule, haproxyCookies) }));
    const sticky = ingress.filter((x) => x.a !== undefined).map((x) => x.a!);
    for (const other of sticky.slice(1)) {
      if (!same(sticky[0], other)) {
        findings.push({ subject: other.where, message: `${describe(other.where)}: ${other.detail} differs from ${sticky[0].detail} on ${describe(sticky[0].where)} for the same Service ${service}; use one affinity.` });
      }
    }
    const meshRules = rules.filter((r) => typeof r.props.spec?.host === "string" && serviceKeyOfHost(r.props.spec.host, metadataOf(r).namespace ?? "") === service);
    for (const rule of meshRules) {
      const mesh = meshAffinity(rule);
      if (mesh === undefined) continue;
      for (const a of sticky) {
        if (mesh === "balanced") {
          findings.push({ subject: rule, message: `${describe(rule)}: the mesh balances Service ${service} without session affinity while ${describe(a.where)} pins clients (${a.detail}); set trafficPolicy.loadBalancer.consistentHash to the same ${a.kind}${a.key ? ` "${a.key}"` : ""}.` });
        } else if (!same(a, mesh)) {
          findings.push({ subject: rule, message: `${describe(rule)}: ${mesh.detail} disagrees with ${a.detail} on ${describe(a.where)} for Service ${service}; both layers must pin on the same ${a.kind}.` });
        }
      }
      // ingress-nginx balances to pod IPs itself; only service-upstream lets the mesh's hash pick the pod.
      if (mesh !== "balanced") {
        for (const { b } of ingress) {
          const a = metadataOf(b.route).annotations;
          const nginx = isKind(b.route, "networking.k8s.io", "Ingress") && Object.keys(a).some((k) => k.startsWith("nginx.ingress.kubernetes.io/"));
          if (nginx && a["nginx.ingress.kubernetes.io/service-upstream"] !== "true") {
            findings.push({ subject: b.route, message: `${describe(b.route)}: ingress-nginx sends to pod IPs directly, bypassing ${mesh.detail} of ${describe(rule)}; set nginx.ingress.kubernetes.io/service-upstream: "true".` });
          }
        }
      }
    }
  }
  return findings;
}

export function affinityPolicy(): StackValidationPolicy {
  return stackPolicy(
    {
      name: "websocket-affinity-consistent",
      description: "Session affinity of a WebSocket Service is the same at the ingress controller and in the mesh (cookie/header name, or none).",
      enforcementLevel: "mandatory",
    },
    affinityFindings,
  );
}
