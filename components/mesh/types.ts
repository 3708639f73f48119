import * as pulumi from "@pulumi/pulumi";
import { MeshProvider } from "../config/schema/mesh";
import { MeshSettings } from "../config/schema/mesh";
import { NetworkProtocol } from "../config/schema/networkPolicy";
import { PlatformSettings } from "../config/schema/platform";
import { ControllerInstall } from "../ingress/types";

/** Labels and annotations that put a namespace and its pods into a mesh. */
export interface MeshEnrolment {
  namespaceLabels: Record<string, string>;
  namespaceAnnotations: Record<string, string>;
  podLabels: Record<string, string>;
  podAnnotations: Record<string, string>;
}

export interface MeshPort {
  port: number;
  protocol: NetworkProtocol;
}

/** Pods of one namespace (by its kubernetes.io/metadata.name), or an address range, and the ports that matter. */
export interface MeshPeer {
  /** What the flow is for; NetworkPolicy names and tests use it. */
  purpose: string;
  namespace?: string;
  podLabels?: Record<string, string>;
  cidr?: string;
  ports: MeshPort[];
}

/** The flows a mesh adds to the app's least-privilege NetworkPolicies. */
export interface MeshNetworkNeeds {
  /** Ports meshed peers reach the app's pods on in place of the app's own port (Linkerd 4143, ambient HBONE 15008). */
  tunnelPorts: MeshPort[];
  /** Egress from the app's pods to the control plane. */
  controlPlaneEgress: MeshPeer[];
  /** Further ingress the mesh needs (proxy metrics scrapes, SNATed kubelet probes). */
  extraIngress: MeshPeer[];
}

/** Everything a mesh's policies need to know about the app and its controller. */
export interface MeshPolicyInputs {
  /** Logical name prefix of the objects. */
  name: string;
  settings: PlatformSettings;
  /** App namespace. */
  namespace: pulumi.Input<string>;
  serviceName: pulumi.Input<string>;
  /** Selector labels of the app's pods. */
  podSelector: Record<string, string>;
  /** The installed controller; undefined when its strategy is not available. */
  install?: ControllerInstall;
}

/** What a mesh needs to enrol the ingress controller: the mesh settings and which controller it is. */
export interface ControllerMeshContext {
  mesh: MeshSettings;
}

/** One service mesh: how the app (and its controller) join it, what it must allow, and what it needs from the network. */
export interface ServiceMesh {
  readonly name: MeshProvider;
  /** Labels/annotations for the app's namespace and pod template. */
  appEnrolment(settings: PlatformSettings): MeshEnrolment;
  /** Labels/annotations for the ingress controller's namespace, so the controller holds a mesh identity. */
  controllerEnrolment(settings: ControllerMeshContext): MeshEnrolment;
  /** The mesh's own objects for the app (mTLS mode, authorization, traffic policy), children of `opts.parent`. */
  policies(inputs: MeshPolicyInputs, opts: pulumi.ComponentResourceOptions): pulumi.Resource[];
  /** Traffic must be addressed to the Service, not to pod IPs, for the mesh to apply mTLS and its traffic policy. */
  needsServiceAddress(mesh: MeshSettings): boolean;
  /** Flows the NetworkPolicies must allow for this mesh. */
  network(settings: PlatformSettings): MeshNetworkNeeds;
}

export const noEnrolment = (): MeshEnrolment => ({ namespaceLabels: {}, namespaceAnnotations: {}, podLabels: {}, podAnnotations: {} });
