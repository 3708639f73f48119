import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { IAuthorizationPolicy } from "@kubernetes-models/istio/security.istio.io/v1/AuthorizationPolicy" with { "resolution-mode": "import" };
import type { IPeerAuthentication } from "@kubernetes-models/istio/security.istio.io/v1/PeerAuthentication" with { "resolution-mode": "import" };
import { IstioSettings, MeshSettings, istioSettings } from "../config/schema/mesh";
import { PlatformSettings } from "../config/schema/platform";
import { objectName } from "../naming";
import { istioDestinationRule } from "./istioDestinationRule";
import { ProxyResourceAnnotationKeys, proxyResourceAnnotations } from "./proxyResources";
import { ControllerMeshContext, MeshEnrolment, MeshNetworkNeeds, MeshPolicyInputs, ServiceMesh, noEnrolment } from "./types";

type PeerAuthenticationSpec = NonNullable<IPeerAuthentication["spec"]>;
type AuthorizationPolicySpec = NonNullable<IAuthorizationPolicy["spec"]>;

/** istiod's xDS and CA port (TLS); sidecars dial it, ztunnel does in ambient mode. */
export const istiodXdsPort = 15012;
/** HBONE: ambient's mTLS tunnel port on every enrolled pod. */
export const hbonePort = 15008;
/** Source address of kubelet probes once istio-cni SNATs them in ambient mode. */
export const ambientProbeSourceCidr = "169.254.7.127/32";

/** Namespace labels that enrol pods: sidecar injection (by revision when one is given) or the ambient data plane. */
function namespaceLabels(istio: IstioSettings): Record<string, string> {
  const revision: Record<string, string> = istio.revision !== "" ? { "istio.io/rev": istio.revision } : {};
  if (istio.mode === "ambient") return { "istio.io/dataplane-mode": "ambient", ...revision };
  return istio.revision !== "" ? revision : { "istio-injection": "enabled" };
}

const sidecarResourceKeys: ProxyResourceAnnotationKeys = {
  cpuRequest: "sidecar.istio.io/proxyCPU",
  memoryRequest: "sidecar.istio.io/proxyMemory",
  cpuLimit: "sidecar.istio.io/proxyCPULimit",
  memoryLimit: "sidecar.istio.io/proxyMemoryLimit",
};

/** mTLS STRICT for every workload in the namespace (the namespace-wide policy Istio names `default`). */
export function strictNamespaceSpec(): PeerAuthenticationSpec {
  return { mtls: { mode: "STRICT" } };
}

/** STRICT for the app, except the metrics port: Prometheus is usually outside the mesh (NetworkPolicy still limits who reaches it). */
export function appPeerAuthenticationSpec(podSelector: Record<string, string>, metricsPort: number): PeerAuthenticationSpec {
  return {
    selector: { matchLabels: podSelector },
    mtls: { mode: "STRICT" },
    // Keyed by the container port (the workload's), not the Service port.
    portLevelMtls: { [String(metricsPort)]: { mode: "PERMISSIVE" } },
  };
}

/**
 * Only the controller's and the configured clients' service accounts (mTLS identities, `<namespace>/<name>`) may open
 * WebSockets; the metrics port stays open to the plaintext scrape its PeerAuthentication allows. L4 only, so ztunnel
 * enforces it in ambient mode without a waypoint.
 */
export function appAuthorizationPolicySpec(
  podSelector: Record<string, string>,
  serviceAccounts: string[],
  webSocketPort: number,
  metricsPort: number,
): AuthorizationPolicySpec {
  return {
    selector: { matchLabels: podSelector },
    action: "ALLOW",
    rules: [
      // With no identity to admit the rule is left out (Istio rejects an empty source), so nobody reaches the WebSocket port.
      ...(serviceAccounts.length > 0 ? [{ from: [{ source: { serviceAccounts } }], to: [{ operation: { ports: [String(webSocketPort)] } }] }] : []),
      { to: [{ operation: { ports: [String(metricsPort)] } }] },
    ],
  };
}

export const istioMesh: ServiceMesh = {
  name: "istio",

  appEnrolment(settings: PlatformSettings): MeshEnrolment {
    const istio = istioSettings(settings.mesh);
    return {
      ...noEnrolment(),
      namespaceLabels: namespaceLabels(istio),
      podAnnotations:
        istio.mode === "sidecar"
          ? {
              // A native sidecar stops after the app container: open sockets keep their proxy through the whole drain.
              "sidecar.istio.io/nativeSidecar": "true",
              ...proxyResourceAnnotations(istio.proxyResources, sidecarResourceKeys),
            }
          : {},
    };
  },

  // Controllers join like any workload; the Istio gateway is an Istio proxy already and never asks.
  controllerEnrolment(settings: ControllerMeshContext): MeshEnrolment {
    return { ...noEnrolment(), namespaceLabels: namespaceLabels(istioSettings(settings.mesh)) };
  },

  policies(inputs: MeshPolicyInputs, opts: pulumi.ComponentResourceOptions): pulumi.Resource[] {
    const { settings, namespace } = inputs;
    const istio = istioSettings(settings.mesh);
    const app = settings.app.name;
    const resources: pulumi.Resource[] = [
      new k8s.apiextensions.CustomResource(
        `${inputs.name}-mtls-namespace`,
        {
          apiVersion: "security.istio.io/v1",
          kind: "PeerAuthentication",
          metadata: { name: "default", namespace },
          spec: strictNamespaceSpec(),
        },
        opts,
      ),
      new k8s.apiextensions.CustomResource(
        `${inputs.name}-mtls-app`,
        {
          apiVersion: "security.istio.io/v1",
          kind: "PeerAuthentication",
          metadata: { name: objectName(app, "mtls"), namespace },
          spec: appPeerAuthenticationSpec(inputs.podSelector, settings.app.metricsPort),
        },
        opts,
      ),
    ];
    const serviceAccounts = [
      ...(inputs.install ? [`${inputs.install.namespace}/${inputs.install.serviceAccountName}`] : []),
      ...settings.mesh.clients.map((c) => `${c.namespace}/${c.serviceAccount}`),
    ];
    // Always present: without any ALLOW policy Istio admits every meshed workload (Linkerd's Servers deny by default instead).
    resources.push(
      new k8s.apiextensions.CustomResource(
        `${inputs.name}-authz`,
        {
          apiVersion: "security.istio.io/v1",
          kind: "AuthorizationPolicy",
          metadata: { name: objectName(app, "websocket"), namespace },
          spec: appAuthorizationPolicySpec(inputs.podSelector, serviceAccounts, settings.app.port, settings.app.metricsPort),
        },
        opts,
      ),
    );
    // With the Istio gateway as controller, its route owns the DestinationRule (one per host, or they conflict).
    if (inputs.install?.meshProxy !== "istio") {
      resources.push(
        istioDestinationRule(
          `${inputs.name}-destination-rule`,
          { objectName: objectName(app, "websocket"), namespace, serviceName: inputs.serviceName, settings, istio },
          opts,
        ),
      );
    }
    return resources;
  },

  // A sidecar originates mTLS (and applies the DestinationRule) only for Service destinations; ztunnel (ambient) has no such limit.
  needsServiceAddress: (mesh: MeshSettings) => istioSettings(mesh).mode === "sidecar",

  network(settings: PlatformSettings): MeshNetworkNeeds {
    const istio = istioSettings(settings.mesh);
    if (istio.mode === "ambient") {
      return {
        tunnelPorts: [{ port: hbonePort, protocol: "TCP" }],
        // ztunnel, not the app's pods, talks to istiod.
        controlPlaneEgress: [],
        extraIngress: [
          { purpose: "kubelet-probes", cidr: ambientProbeSourceCidr, ports: [{ port: settings.app.port, protocol: "TCP" }] },
        ],
      };
    }
    return {
      tunnelPorts: [],
      controlPlaneEgress: [
        {
          purpose: "istiod",
          namespace: istio.controlPlaneNamespace,
          podLabels: { app: "istiod" },
          ports: [{ port: istiodXdsPort, protocol: "TCP" }],
        },
      ],
      extraIngress: [],
    };
  },
};
