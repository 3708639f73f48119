import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { linkerdSettings } from "../config/schema/mesh";
import { PlatformSettings } from "../config/schema/platform";
import { metricsPortName, webSocketPortName } from "../app/ports";
import { objectName } from "../naming";
import {
  LinkerdAuthorizationPolicySpec,
  LinkerdMeshTlsAuthenticationSpec,
  LinkerdServerSpec,
  LinkerdTargetRef,
  linkerdAuthApiVersion,
  linkerdPolicyGroup,
  linkerdServerApiVersion,
} from "./linkerdPolicy";
import { ProxyResourceAnnotationKeys, proxyResourceAnnotations } from "./proxyResources";
import { MeshEnrolment, MeshNetworkNeeds, MeshPolicyInputs, ServiceMesh, noEnrolment } from "./types";

/** The proxy's inbound port: meshed peers connect here in place of the app's port. */
export const linkerdInboundPort = 4143;
/** The proxy's admin port (metrics, probes), named linkerd-admin in the injected container. */
export const linkerdAdminPort = 4191;
export const linkerdAdminPortName = "linkerd-admin";
/** Control-plane ports the proxy dials: destination 8086, policy 8090, identity 8080 (linkerd-control-plane chart). */
export const linkerdControlPlanePorts = [8086, 8090, 8080];

const proxyResourceKeys: ProxyResourceAnnotationKeys = {
  cpuRequest: "config.linkerd.io/proxy-cpu-request",
  memoryRequest: "config.linkerd.io/proxy-memory-request",
  cpuLimit: "config.linkerd.io/proxy-cpu-limit",
  memoryLimit: "config.linkerd.io/proxy-memory-limit",
};

/** WebSocket is an HTTP/1.1 Upgrade; the proxy handles upgrades on HTTP/1 servers (the guide's `HTTP/1.1` is not a value Linkerd knows). */
export function webSocketServerSpec(podSelector: Record<string, string>): LinkerdServerSpec {
  return { podSelector: { matchLabels: podSelector }, port: webSocketPortName, proxyProtocol: "HTTP/1" };
}

/** Prometheus usually runs outside the mesh: in-cluster clients only (NetworkPolicy narrows it to the monitoring namespace). */
export function metricsServerSpec(podSelector: Record<string, string>): LinkerdServerSpec {
  return { podSelector: { matchLabels: podSelector }, port: metricsPortName, proxyProtocol: "HTTP/1", accessPolicy: "cluster-unauthenticated" };
}

export function proxyAdminServerSpec(podSelector: Record<string, string>): LinkerdServerSpec {
  return { podSelector: { matchLabels: podSelector }, port: linkerdAdminPortName, proxyProtocol: "HTTP/1" };
}

/** The service accounts allowed to open WebSockets: the ingress controller's and the configured clients'. */
export function webSocketClientRefs(settings: PlatformSettings, controller?: { namespace: string; serviceAccountName: string }): LinkerdTargetRef[] {
  // Guide correction: the controller's identity is admitted; the guide's policy let only websocket-client in.
  const refs: LinkerdTargetRef[] = controller ? [{ kind: "ServiceAccount", name: controller.serviceAccountName, namespace: controller.namespace }] : [];
  for (const client of settings.mesh.clients) {
    refs.push({ kind: "ServiceAccount", name: client.serviceAccount, namespace: client.namespace });
  }
  return refs;
}

function authorizationTo(server: string, authentication: LinkerdTargetRef): LinkerdAuthorizationPolicySpec {
  return { targetRef: { group: linkerdPolicyGroup, kind: "Server", name: server }, requiredAuthenticationRefs: [authentication] };
}

export const linkerdMesh: ServiceMesh = {
  name: "linkerd",

  appEnrolment(settings: PlatformSettings): MeshEnrolment {
    const linkerd = linkerdSettings(settings.mesh);
    return {
      ...noEnrolment(),
      // On the pod template, not the namespace: only the app's pods join, whatever else runs there.
      podAnnotations: {
        // Guide correction: inject and proxy annotations on the pod template; on a Service (guide) they do nothing.
        "linkerd.io/inject": "enabled",
        // Ports without a Server admit nobody; the Servers below open exactly the app's two ports and the proxy admin port.
        "config.linkerd.io/default-inbound-policy": "deny",
        // A native sidecar outlives the app container, so open sockets keep their proxy through the drain.
        "config.linkerd.io/proxy-enable-native-sidecar": "true",
        ...proxyResourceAnnotations(linkerd.proxyResources, proxyResourceKeys),
      },
    };
  },

  controllerEnrolment(): MeshEnrolment {
    return {
      ...noEnrolment(),
      namespaceAnnotations: { "linkerd.io/inject": "enabled", "config.linkerd.io/proxy-enable-native-sidecar": "true" },
    };
  },

  policies(inputs: MeshPolicyInputs, opts: pulumi.ComponentResourceOptions): pulumi.Resource[] {
    const { settings, namespace, podSelector } = inputs;
    const linkerd = linkerdSettings(settings.mesh);
    const app = settings.app.name;
    const custom = (suffix: string, apiVersion: string, kind: string, name: string, spec: object) =>
      new k8s.apiextensions.CustomResource(`${inputs.name}-${suffix}`, { apiVersion, kind, metadata: { name, namespace }, spec }, opts);

    const wsServer = objectName(app, "websocket");
    const resources: pulumi.Resource[] = [
      custom("server-websocket", linkerdServerApiVersion, "Server", wsServer, webSocketServerSpec(podSelector)),
      custom("server-metrics", linkerdServerApiVersion, "Server", objectName(app, "metrics"), metricsServerSpec(podSelector)),
    ];

    const clients = webSocketClientRefs(settings, inputs.install);
    if (clients.length > 0) {
      const authn = objectName(app, "websocket-clients");
      // Guide correction: ServiceAccount identityRefs; the guide's cluster.local/ns/…/sa/… is no Linkerd identity.
      const meshTls: LinkerdMeshTlsAuthenticationSpec = { identityRefs: clients };
      resources.push(
        custom("websocket-clients", linkerdAuthApiVersion, "MeshTLSAuthentication", authn, meshTls),
        custom(
          "websocket-authz",
          linkerdAuthApiVersion,
          "AuthorizationPolicy",
          wsServer,
          authorizationTo(wsServer, { group: linkerdPolicyGroup, kind: "MeshTLSAuthentication", name: authn }),
        ),
      );
    }

    if (linkerd.vizNamespace !== "") {
      // As `linkerd viz allow-scrapes` does, without an HTTPRoute: a Server with no routes keeps Linkerd's automatic probe authorization.
      const admin = objectName(app, "proxy-admin");
      resources.push(
        custom("server-proxy-admin", linkerdServerApiVersion, "Server", admin, proxyAdminServerSpec(podSelector)),
        custom(
          "proxy-admin-authz",
          linkerdAuthApiVersion,
          "AuthorizationPolicy",
          admin,
          authorizationTo(admin, { kind: "ServiceAccount", name: "prometheus", namespace: linkerd.vizNamespace }),
        ),
      );
    }
    return resources;
  },

  // Linkerd's proxy resolves pod-IP destinations itself, so controllers may keep their own endpoint picking.
  needsServiceAddress: () => false,

  network(settings: PlatformSettings): MeshNetworkNeeds {
    const linkerd = linkerdSettings(settings.mesh);
    return {
      tunnelPorts: [{ port: linkerdInboundPort, protocol: "TCP" }],
      controlPlaneEgress: [
        {
          purpose: "linkerd-control-plane",
          namespace: linkerd.controlPlaneNamespace,
          podLabels: { "linkerd.io/control-plane-ns": linkerd.controlPlaneNamespace },
          ports: linkerdControlPlanePorts.map((port) => ({ port, protocol: "TCP" as const })),
        },
      ],
      extraIngress:
        linkerd.vizNamespace === ""
          ? []
          : [
              {
                purpose: "linkerd-viz-scrape",
                namespace: linkerd.vizNamespace,
                podLabels: { "linkerd.io/extension": "viz", component: "prometheus" },
                ports: [{ port: linkerdAdminPort, protocol: "TCP" }],
              },
            ],
    };
  },
};
