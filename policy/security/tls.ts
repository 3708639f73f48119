import type { StackValidationPolicy } from "@pulumi/policy";
import { Finding, environmentConfigSchema, outsideDev, stackPolicy } from "../lib/define";
import { PolicySubject, describe, isKind, kindOf, metadataOf } from "../lib/resources";
import { PolicySettings } from "../settings";

function hostCovered(host: string, tlsHosts: string[]): boolean {
  return tlsHosts.some((t) => t === host || (t.startsWith("*.") && host.endsWith(t.slice(1)) && !host.slice(0, -t.length + 1).includes(".")));
}

/** The Gateway or ListenerSet a route's parentRef names, as kind/namespace/name. */
function listenerOwnerKey(ref: any, routeNamespace: string): string | undefined {
  const kind = ref.kind ?? "Gateway";
  if ((ref.group ?? "gateway.networking.k8s.io") !== "gateway.networking.k8s.io" || !["Gateway", "ListenerSet"].includes(kind)) return undefined;
  return `${kind}/${ref.namespace ?? routeNamespace}/${ref.name}`;
}

function onlyRedirectsToHttps(route: PolicySubject): boolean {
  const rules = route.props.spec?.rules ?? [];
  return rules.length > 0 && rules.every((r: any) => (r.filters ?? []).some((f: any) => f.type === "RequestRedirect" && f.requestRedirect?.scheme === "https"));
}

/** An IngressRoute whose every route passes a Middleware that redirects to https (Traefik's HTTP→HTTPS redirect). */
function ingressRouteOnlyRedirectsToHttps(route: PolicySubject, subjects: PolicySubject[]): boolean {
  const ns = metadataOf(route).namespace ?? "";
  const redirects = new Set(
    subjects
      .filter((m) => isKind(m, "traefik.io", "Middleware") && m.props.spec?.redirectScheme?.scheme === "https")
      .map((m) => `${metadataOf(m).namespace ?? ""}/${metadataOf(m).name ?? m.name}`),
  );
  const routes = route.props.spec?.routes ?? [];
  return routes.length > 0 && routes.every((r: any) => (r.middlewares ?? []).some((m: any) => redirects.has(`${m.namespace ?? ns}/${m.name}`)));
}

/** Ports a VirtualService's HTTP routes are pinned to (every match names a port); undefined when a route takes any port. */
function virtualServicePorts(spec: any): Set<number> | undefined {
  const ports = new Set<number>();
  for (const route of spec.http ?? []) {
    const matches = route.match ?? [];
    if (matches.length === 0 || matches.some((m: any) => typeof m.port !== "number")) return undefined;
    for (const m of matches) ports.add(m.port);
  }
  return ports;
}

/** Routes a client can reach over plain HTTP/WS, and TLS listeners without certificates. */
export function plaintextFindings(subjects: PolicySubject[]): Finding[] {
  const findings: Finding[] = [];
  const key = (s: PolicySubject) => `${metadataOf(s).namespace ?? ""}/${metadataOf(s).name ?? s.name}`;
  // Listeners live on Gateways and, attached to a shared Gateway, on ListenerSets (Gateway API v1.5).
  const listenerOwners = new Map(
    subjects
      .filter((s) => isKind(s, "gateway.networking.k8s.io", "Gateway") || isKind(s, "gateway.networking.k8s.io", "ListenerSet"))
      .map((g) => [`${kindOf(g)?.kind}/${key(g)}`, g]),
  );
  const istioGateways = new Map(subjects.filter((s) => isKind(s, "networking.istio.io", "Gateway")).map((g) => [key(g), g]));
  for (const s of subjects) {
    const spec = s.props.spec ?? {};
    const ns = metadataOf(s).namespace ?? "";
    if (isKind(s, "networking.k8s.io", "Ingress")) {
      const tlsHosts: string[] = (spec.tls ?? []).flatMap((t: any) => t.hosts ?? []);
      const hosts: string[] = (spec.rules ?? []).map((r: any) => r.host).filter((h: unknown) => typeof h === "string");
      const open = hosts.filter((h) => !hostCovered(h, tlsHosts));
      if ((spec.tls ?? []).length === 0) findings.push({ subject: s, message: `${describe(s)} has no spec.tls: it serves plain HTTP/WS.` });
      else if (open.length > 0) findings.push({ subject: s, message: `${describe(s)}: hosts ${open.join(", ")} are not covered by spec.tls.` });
    } else if (isKind(s, "traefik.io", "IngressRoute")) {
      if (!spec.tls && !ingressRouteOnlyRedirectsToHttps(s, subjects)) findings.push({ subject: s, message: `${describe(s)} has no spec.tls: it serves plain HTTP/WS on ${(spec.entryPoints ?? ["every entry point"]).join(", ")}.` });
    } else if (isKind(s, "gateway.networking.k8s.io", "HTTPRoute")) {
      if (onlyRedirectsToHttps(s)) continue;
      for (const ref of spec.parentRefs ?? []) {
        const gw = listenerOwners.get(listenerOwnerKey(ref, ns) ?? "");
        if (!gw) continue;
        const listeners = (gw.props.spec?.listeners ?? []).filter((l: any) => ref.sectionName === undefined || l.name === ref.sectionName);
        const plain = listeners.filter((l: any) => l.protocol === "HTTP");
        if (plain.length > 0) findings.push({ subject: s, message: `${describe(s)} attaches to plain-HTTP listener(s) ${plain.map((l: any) => l.name).join(", ")} of ${describe(gw)}; set parentRefs[].sectionName to the HTTPS listener.` });
      }
    } else if (isKind(s, "gateway.networking.k8s.io", "Gateway") || isKind(s, "gateway.networking.k8s.io", "ListenerSet")) {
      for (const l of spec.listeners ?? []) {
        if (l.protocol === "HTTPS" && (l.tls?.mode ?? "Terminate") === "Terminate" && (l.tls?.certificateRefs ?? []).length === 0) {
          findings.push({ subject: s, message: `${describe(s)}: HTTPS listener ${l.name} has no tls.certificateRefs.` });
        }
      }
    } else if (isKind(s, "networking.istio.io", "VirtualService")) {
      for (const name of (spec.gateways ?? []) as string[]) {
        if (name === "mesh") continue;
        const gw = istioGateways.get(name.includes("/") ? name : `${ns}/${name}`);
        if (!gw) continue;
        const servers = gw.props.spec?.servers ?? [];
        // A plain server the routes never match (port 80 kept for ACME HTTP-01, routes pinned to 443) serves no WebSocket.
        const routed = virtualServicePorts(spec);
        const plain = servers.filter(
          (sv: any) =>
            ["HTTP", "HTTP2"].includes(String(sv.port?.protocol).toUpperCase()) &&
            sv.tls?.httpsRedirect !== true &&
            (routed === undefined || routed.has(sv.port?.number)),
        );
        if (plain.length > 0) findings.push({ subject: s, message: `${describe(s)} is bound to ${describe(gw)}, whose plain-HTTP server(s) on port ${plain.map((p: any) => p.port?.number).join(", ")} do not redirect to HTTPS (tls.httpsRedirect: true).` });
        if (!servers.some((sv: any) => ["HTTPS", "TLS"].includes(String(sv.port?.protocol).toUpperCase()))) findings.push({ subject: s, message: `${describe(s)} is bound to ${describe(gw)}, which has no HTTPS server.` });
      }
    }
  }
  return findings;
}

export function tlsOutsideDevPolicy(settings: PolicySettings): StackValidationPolicy {
  return stackPolicy(
    {
      name: "tls-outside-dev",
      description: "Outside dev, every route serves TLS only (wss://): Ingress spec.tls covering its hosts, IngressRoute tls, HTTPS-only Gateway listeners, redirecting Istio gateways.",
      enforcementLevel: "mandatory",
      configSchema: environmentConfigSchema,
    },
    (subjects, args) => outsideDev(settings, args, plaintextFindings(subjects), "requires TLS"),
  );
}
