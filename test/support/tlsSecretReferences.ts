/** Where a route serves a TLS Secret from: Ingress tls, IngressRoute tls, Gateway API certificateRefs (Gateway and ListenerSet listeners), Istio credentialName. */
export interface TlsSecretReference {
  kind: string;
  namespace?: string;
  secretName: string;
}

export function tlsSecretReferences(objects: { apiVersion: string; kind: string; metadata: { namespace?: string }; [k: string]: unknown }[]): TlsSecretReference[] {
  const refs: TlsSecretReference[] = [];
  for (const o of objects) {
    const spec = (o.spec ?? {}) as any;
    const ns = o.metadata?.namespace;
    const kind = `${o.apiVersion.split("/")[0]}/${o.kind}`;
    if (o.apiVersion === "networking.k8s.io/v1" && o.kind === "Ingress") {
      for (const t of spec.tls ?? []) if (t.secretName) refs.push({ kind, namespace: ns, secretName: t.secretName });
    } else if (o.apiVersion.startsWith("traefik.io/") && o.kind === "IngressRoute") {
      if (spec.tls?.secretName) refs.push({ kind, namespace: ns, secretName: spec.tls.secretName });
    } else if (o.apiVersion.startsWith("gateway.networking.k8s.io/") && (o.kind === "Gateway" || o.kind === "ListenerSet")) {
      for (const l of spec.listeners ?? []) {
        for (const c of l.tls?.certificateRefs ?? []) refs.push({ kind, namespace: c.namespace ?? ns, secretName: c.name });
      }
    } else if (o.apiVersion.startsWith("networking.istio.io/") && o.kind === "Gateway") {
      for (const s of spec.servers ?? []) if (s.tls?.credentialName) refs.push({ kind, namespace: ns, secretName: s.tls.credentialName });
    }
  }
  return refs;
}
