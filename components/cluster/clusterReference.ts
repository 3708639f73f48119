import { z } from "zod";
import { KeyStyle, parseConfig } from "../config/parse";
import { AutoscalingEngine } from "../config/schema/autoscaling";
import { dnsLabel, port } from "../config/schema/common";
import { IngressControllerName } from "../config/schema/ingress";
import { MeshProvider } from "../config/schema/mesh";
import { ControllerServiceRef, GatewayRef, RouteApi } from "../ingress/types";

/** cert-manager as the cluster runs it. */
export interface CertManagerRef {
  /** Namespace of its release. */
  namespace: string;
}

/**
 * What an app part needs to know of the cluster part: plain, serialisable data. The cluster part exports it; an app
 * takes it from the same program, from a StackReference, or written by hand for a controller installed elsewhere.
 */
export interface ClusterReference {
  controller: IngressControllerName;
  /** ingress (Ingress objects), native (the controller's own CRDs) or gateway (Gateway API). */
  routeApi: RouteApi;
  /** IngressClass or GatewayClass routes refer to. */
  className: string;
  /** Namespace of the controller's data-plane pods. */
  controllerNamespace: string;
  /** Labels of the data-plane pods (NetworkPolicy peer). */
  dataPlanePodLabels: Record<string, string>;
  /** ServiceAccount of the data-plane pods (mesh identities). */
  dataPlaneServiceAccount: string;
  /** The Service that receives client traffic (DNS and load-balancer lookups, in-cluster smoke tests); unknown for a GatewayClass installed elsewhere. */
  controllerService?: ControllerServiceRef;
  /** Namespace TLS Secrets must live in when the controller reads them only there; absent: each app's own namespace. */
  tlsSecretNamespace?: string;
  /** The Gateway apps attach their ListenerSets to, when the controller shares one. */
  gateway?: GatewayRef;
  /** The mesh the controller is enrolled in; an app's mesh must be this one (or none). */
  mesh: MeshProvider;
  /** cert-manager, when the cluster runs one; apps with TLS need it. */
  certManager?: CertManagerRef;
  /** The autoscaling engine, when the cluster runs one; apps that autoscale need it. */
  autoscalingEngine?: AutoscalingEngine;
  /** Longest idle WebSocket the controller's own timeouts allow, in seconds; unknown for a controller installed elsewhere. */
  maxConnectionLifetimeSeconds?: number;
}

const labels = z.record(z.string().regex(/^([a-z0-9.-]+\/)?[A-Za-z0-9._-]{1,63}$/, "a label key"), z.string().max(63)).refine((l) => Object.keys(l).length > 0, "at least one label");

export const clusterReferenceSchema = z.strictObject({
  controller: z.enum(IngressControllerName).describe("The ingress controller."),
  routeApi: z.enum(RouteApi).describe("ingress, native or gateway."),
  className: dnsLabel.describe("IngressClass or GatewayClass name."),
  controllerNamespace: dnsLabel.describe("Namespace of the controller's data-plane pods."),
  dataPlanePodLabels: labels.describe("Labels of the controller's data-plane pods."),
  dataPlaneServiceAccount: dnsLabel.describe("ServiceAccount of the data-plane pods."),
  controllerService: z
    .strictObject({ name: dnsLabel, namespace: dnsLabel, httpPort: port, httpsPort: port })
    .optional()
    .describe("The controller's client-facing Service."),
  tlsSecretNamespace: dnsLabel.optional().describe("Where TLS Secrets must live; absent: each app's namespace."),
  gateway: z
    .strictObject({ name: dnsLabel, namespace: dnsLabel, httpListener: dnsLabel, httpsListener: dnsLabel, httpPort: port, httpsPort: port })
    .optional()
    .describe("The shared Gateway apps attach ListenerSets to."),
  mesh: z.enum(MeshProvider).describe("The mesh the controller is enrolled in."),
  certManager: z.strictObject({ namespace: dnsLabel }).optional().describe("cert-manager in the cluster."),
  autoscalingEngine: z.enum(AutoscalingEngine).optional().describe("The autoscaling engine in the cluster."),
  maxConnectionLifetimeSeconds: z.number().int().min(1).optional().describe("Longest idle WebSocket the controller allows."),
});

const referenceShapeMatches: [z.input<typeof clusterReferenceSchema>] extends [ClusterReference] ? ([ClusterReference] extends [z.input<typeof clusterReferenceSchema>] ? true : false) : false = true;
void referenceShapeMatches;

/** A reference checked like config: a wrong field is named with the value given and what is allowed. */
export function parseClusterReference(value: unknown, style: KeyStyle): ClusterReference {
  return parseConfig(clusterReferenceSchema, value, style);
}
