/**
 * Spec types of the Linkerd policy resources we emit (policy.linkerd.io; no @kubernetes-models package covers them),
 * with the values Linkerd documents for the fields its CRD schema leaves as free strings.
 */

/** Server.spec.proxyProtocol values (linkerd.io reference/authorization-policy, "Server Spec"). */
export const linkerdProxyProtocols = ["unknown", "HTTP/1", "HTTP/2", "gRPC", "opaque", "TLS"] as const;
export type LinkerdProxyProtocol = (typeof linkerdProxyProtocols)[number];

/** Server.spec.accessPolicy and default-inbound-policy values (same reference, "Default policies"). */
export const linkerdAccessPolicies = [
  "all-unauthenticated",
  "all-authenticated",
  "cluster-authenticated",
  "cluster-unauthenticated",
  "deny",
  "audit",
] as const;
export type LinkerdAccessPolicy = (typeof linkerdAccessPolicies)[number];

export interface LinkerdLabelSelector {
  matchLabels?: Record<string, string>;
}

/** policy.linkerd.io/v1beta3 Server. */
export interface LinkerdServerSpec {
  podSelector: LinkerdLabelSelector;
  /** A container port name or number. */
  port: string | number;
  proxyProtocol: LinkerdProxyProtocol;
  /** What happens to traffic no AuthorizationPolicy admits (Linkerd's default: deny). */
  accessPolicy?: LinkerdAccessPolicy;
}

export interface LinkerdTargetRef {
  group?: string;
  kind: string;
  name: string;
  namespace?: string;
}

/** policy.linkerd.io/v1alpha1 AuthorizationPolicy. */
export interface LinkerdAuthorizationPolicySpec {
  targetRef: LinkerdTargetRef;
  requiredAuthenticationRefs: LinkerdTargetRef[];
}

/** policy.linkerd.io/v1alpha1 MeshTLSAuthentication. */
export interface LinkerdMeshTlsAuthenticationSpec {
  identityRefs: LinkerdTargetRef[];
}

export const linkerdPolicyGroup = "policy.linkerd.io";
// Guide correction: Server v1beta3 (guide: v1beta1); AuthorizationPolicy replaces its ServerAuthorization.
export const linkerdServerApiVersion = "policy.linkerd.io/v1beta3";
export const linkerdAuthApiVersion = "policy.linkerd.io/v1alpha1";
