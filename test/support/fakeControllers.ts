import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { IngressControllerName } from "../../components/config/schema/ingress";
import { ingressControllers } from "../../components/ingress/registry";
import { ControllerInstall, IngressController, RouteInputs } from "../../components/ingress/types";

/**
 * Stand-in strategies, one per route shape (Ingress, Gateway API, Istio Gateway), that follow the
 * IngressController contract the way the real ones must: TLS tests use them to check the wiring on a branch
 * that has no real controller yet. Each emits the upstream field a TLS Secret is wired into.
 */
type Shape = "ingress" | "ingressroute" | "gateway" | "istio";

const shapes: Record<Shape, { className: string; namespace: string; routeApi: ControllerInstall["routeApi"] }> = {
  ingress: { className: "fake-nginx", namespace: "ingress-fake", routeApi: "ingress" },
  ingressroute: { className: "fake-traefik", namespace: "traefik-fake", routeApi: "native" },
  gateway: { className: "fake-gateway", namespace: "gateway-fake", routeApi: "gateway" },
  istio: { className: "istio", namespace: "istio-system", routeApi: "native" },
};

function fakeController(name: IngressControllerName, shape: Shape): IngressController {
  const { className, namespace, routeApi } = shapes[shape];
  return {
    name,
    install(installName, settings, opts) {
      // Stands for what a real install makes later parts wait for (the Helm release and its CRDs).
      const crds = new k8s.core.v1.ConfigMap(`${installName}-crds`, { metadata: { name: `${installName}-crds`, namespace } }, opts);
      return {
        controller: name,
        className,
        namespace,
        podLabels: { app: className },
        serviceAccountName: className,
        tlsSecretNamespace: shape === "istio" ? namespace : settings.namespace,
        routeApi,
        readyResources: [crds],
      };
    },
    route(inputs: RouteInputs, opts: pulumi.ComponentResourceOptions) {
      const host = inputs.settings.ingress.hosts;
      const metadata = { name: inputs.name, namespace: inputs.namespace };
      const secret = inputs.tlsSecretName;
      if (shape === "ingress") {
        return [
          new k8s.networking.v1.Ingress(
            inputs.name,
            {
              metadata,
              spec: {
                ingressClassName: className,
                ...(secret ? { tls: [{ hosts: host, secretName: secret }] } : {}),
                rules: host.map((h) => ({
                  host: h,
                  http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: inputs.serviceName, port: { number: inputs.servicePort } } } }] },
                })),
              },
            },
            opts,
          ),
        ];
      }
      const custom = (apiVersion: string, kind: string, meta: object, spec: object) => [
        new k8s.apiextensions.CustomResource(inputs.name, { apiVersion, kind, metadata: meta, spec }, opts),
      ];
      if (shape === "ingressroute") {
        return custom("traefik.io/v1alpha1", "IngressRoute", metadata, {
          entryPoints: [secret ? "websecure" : "web"],
          routes: host.map((h) => ({ match: `Host(\`${h}\`)`, kind: "Rule", services: [{ name: inputs.serviceName, port: inputs.servicePort }] })),
          ...(secret ? { tls: { secretName: secret } } : {}),
        });
      }
      if (shape === "gateway") {
        const https = { name: "https", protocol: "HTTPS", port: 443, tls: { mode: "Terminate", certificateRefs: [{ kind: "Secret", name: secret }] } };
        return custom("gateway.networking.k8s.io/v1", "Gateway", metadata, {
          gatewayClassName: className,
          listeners: [{ name: "http", protocol: "HTTP", port: 80 }, ...(secret ? [https] : [])],
        });
      }
      // The Istio gateway reads the Secret from its own namespace.
      return custom("networking.istio.io/v1", "Gateway", { name: inputs.name, namespace: inputs.install.tlsSecretNamespace }, {
        selector: { istio: "ingressgateway" },
        servers: [
          secret
            ? { port: { number: 443, name: "https", protocol: "HTTPS" }, hosts: host, tls: { mode: "SIMPLE", credentialName: secret } }
            : { port: { number: 80, name: "http", protocol: "HTTP" }, hosts: host },
        ],
      });
    },
    acmeHttp01Solver(install) {
      if (shape === "gateway") return { gatewayHTTPRoute: { parentRefs: [{ name: "fake-gw", namespace: install.namespace, kind: "Gateway" }] } };
      return { ingress: { ingressClassName: install.className } };
    },
  };
}

/** Register the stand-ins for the controller names not registered for real; returns an undo. */
export function registerFakeControllers(): () => void {
  const wanted: [IngressControllerName, Shape][] = [
    ["nginx", "ingress"],
    ["traefik", "ingressroute"],
    ["nginx-gateway-fabric", "gateway"],
    ["istio", "istio"],
  ];
  const added: IngressControllerName[] = [];
  for (const [name, shape] of wanted) {
    if (ingressControllers[name] === undefined) {
      ingressControllers[name] = fakeController(name, shape);
      added.push(name);
    }
  }
  return () => added.forEach((name) => delete ingressControllers[name]);
}

/** Where a route serves a TLS Secret from: Ingress tls, IngressRoute tls, Gateway API certificateRefs, Istio credentialName. */
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
    } else if (o.apiVersion.startsWith("gateway.networking.k8s.io/") && o.kind === "Gateway") {
      for (const l of spec.listeners ?? []) {
        for (const c of l.tls?.certificateRefs ?? []) refs.push({ kind, namespace: c.namespace ?? ns, secretName: c.name });
      }
    } else if (o.apiVersion.startsWith("networking.istio.io/") && o.kind === "Gateway") {
      for (const s of spec.servers ?? []) if (s.tls?.credentialName) refs.push({ kind, namespace: ns, secretName: s.tls.credentialName });
    }
  }
  return refs;
}
