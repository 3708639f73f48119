/**
 * A small evaluator of Kubernetes NetworkPolicy semantics (networking.k8s.io/v1), for tests: given the rendered
 * policies, a cluster's namespaces and pods, and one connection, says whether the connection is allowed.
 *
 * Semantics implemented (https://kubernetes.io/docs/concepts/services-networking/network-policies/):
 * - A pod is isolated for a direction when any policy in its namespace selects it (spec.podSelector) and has that
 *   direction in policyTypes (default: Ingress, plus Egress when spec.egress is present).
 * - A connection is allowed when egress from the source and ingress to the destination are both allowed;
 *   a non-isolated side allows everything. Policies are additive: any matching rule of any selecting policy allows.
 * - A rule with no `from`/`to` matches every peer; with no `ports` every port.
 * - Peers: podSelector alone (pods of the policy's namespace), namespaceSelector alone (all pods of the selected
 *   namespaces), both (the selected pods of the selected namespaces), ipBlock (cidr minus except; applies to
 *   destinations/sources by IP).
 * - Ports: number or name (a name resolves against the destination pod's named container ports), endPort ranges,
 *   protocol default TCP.
 * - Label selectors: matchLabels and matchExpressions (In, NotIn, Exists, DoesNotExist); {} selects all.
 */

export interface LabelSelectorRequirement {
  key: string;
  operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
  values?: string[];
}
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}
export interface PolicyPort {
  protocol?: "TCP" | "UDP" | "SCTP";
  port?: number | string;
  endPort?: number;
}
export interface IPBlock {
  cidr: string;
  except?: string[];
}
export interface PolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: IPBlock;
}
export interface NetworkPolicyObject {
  metadata: { name?: string; namespace: string };
  spec: {
    podSelector: LabelSelector;
    policyTypes?: ("Ingress" | "Egress")[];
    ingress?: { from?: PolicyPeer[]; ports?: PolicyPort[] }[];
    egress?: { to?: PolicyPeer[]; ports?: PolicyPort[] }[];
  };
}

export interface ClusterNamespace {
  name: string;
  labels?: Record<string, string>;
}
export interface ClusterPod {
  namespace: string;
  labels: Record<string, string>;
  ip: string;
  /** Named container ports, e.g. { websocket: 8080 }. */
  namedPorts?: Record<string, number>;
}
/** An address outside the cluster (internet, node, link-local). */
export interface ExternalEndpoint {
  ip: string;
}
export type Endpoint = ClusterPod | ExternalEndpoint;

export interface Connection {
  from: Endpoint;
  to: Endpoint;
  port: number;
  protocol?: "TCP" | "UDP" | "SCTP";
}

export interface Cluster {
  namespaces: ClusterNamespace[];
}

const isPod = (e: Endpoint): e is ClusterPod => "namespace" in e;

export function selectorMatches(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const req of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, req.key);
    const values = req.values ?? [];
    switch (req.operator) {
      case "In":
        if (!has || !values.includes(labels[req.key])) return false;
        break;
      case "NotIn":
        if (has && values.includes(labels[req.key])) return false;
        break;
      case "Exists":
        if (!has) return false;
        break;
      case "DoesNotExist":
        if (has) return false;
        break;
      default:
        throw new Error(`unknown label selector operator ${(req as LabelSelectorRequirement).operator}`);
    }
  }
  return true;
}

function ipv4ToInt(ip: string): number {
  const parts = ip.split(".").map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new Error(`not an IPv4 address: ${ip}`);
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

export function cidrContains(cidr: string, ip: string): boolean {
  const [base, bitsText] = cidr.split("/");
  const bits = Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > 32) throw new Error(`not an IPv4 CIDR: ${cidr}`);
  if (!ip.includes(".") || !base.includes(".")) return false; // IPv6 is out of this evaluator's scope
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return ((ipv4ToInt(base) & mask) >>> 0) === ((ipv4ToInt(ip) & mask) >>> 0);
}

function namespaceLabels(cluster: Cluster, name: string): Record<string, string> {
  const ns = cluster.namespaces.find((n) => n.name === name);
  // The API server sets kubernetes.io/metadata.name on every namespace (immutable, K8s ≥ 1.22).
  return { ...(ns?.labels ?? {}), "kubernetes.io/metadata.name": name };
}

function peerMatches(peer: PolicyPeer, policyNamespace: string, other: Endpoint, cluster: Cluster): boolean {
  const kinds = [peer.podSelector, peer.namespaceSelector, peer.ipBlock].filter((x) => x !== undefined).length;
  if (kinds === 0) throw new Error("a NetworkPolicyPeer needs podSelector, namespaceSelector or ipBlock");
  if (peer.ipBlock) {
    if (peer.podSelector || peer.namespaceSelector) throw new Error("ipBlock cannot be combined with selectors in one peer");
    if (!cidrContains(peer.ipBlock.cidr, other.ip)) return false;
    return !(peer.ipBlock.except ?? []).some((c) => cidrContains(c, other.ip));
  }
  if (!isPod(other)) return false;
  if (peer.namespaceSelector) {
    if (!selectorMatches(peer.namespaceSelector, namespaceLabels(cluster, other.namespace))) return false;
  } else if (other.namespace !== policyNamespace) {
    return false;
  }
  return selectorMatches(peer.podSelector, other.labels);
}

function portMatches(ports: PolicyPort[] | undefined, conn: Connection, destination: Endpoint): boolean {
  if (!ports || ports.length === 0) return true;
  const protocol = conn.protocol ?? "TCP";
  return ports.some((p) => {
    if ((p.protocol ?? "TCP") !== protocol) return false;
    if (p.port === undefined) return true;
    let start: number | undefined;
    if (typeof p.port === "number") start = p.port;
    else if (/^[0-9]+$/.test(p.port)) start = Number(p.port);
    else start = isPod(destination) ? destination.namedPorts?.[p.port] : undefined;
    if (start === undefined) return false;
    const end = p.endPort ?? start;
    return conn.port >= start && conn.port <= end;
  });
}

function policyTypes(policy: NetworkPolicyObject): ("Ingress" | "Egress")[] {
  if (policy.spec.policyTypes && policy.spec.policyTypes.length > 0) return policy.spec.policyTypes;
  return policy.spec.egress ? ["Ingress", "Egress"] : ["Ingress"];
}

function selecting(policies: NetworkPolicyObject[], pod: ClusterPod, direction: "Ingress" | "Egress"): NetworkPolicyObject[] {
  return policies.filter(
    (p) => p.metadata.namespace === pod.namespace && policyTypes(p).includes(direction) && selectorMatches(p.spec.podSelector, pod.labels),
  );
}

/** Whether the source may send this connection (egress side). */
export function egressAllowed(policies: NetworkPolicyObject[], cluster: Cluster, conn: Connection): boolean {
  if (!isPod(conn.from)) return true;
  const applicable = selecting(policies, conn.from, "Egress");
  if (applicable.length === 0) return true;
  return applicable.some((p) =>
    (p.spec.egress ?? []).some(
      (rule) =>
        (rule.to === undefined || rule.to.length === 0 || rule.to.some((peer) => peerMatches(peer, p.metadata.namespace, conn.to, cluster))) &&
        portMatches(rule.ports, conn, conn.to),
    ),
  );
}

/** Whether the destination accepts this connection (ingress side). */
export function ingressAllowed(policies: NetworkPolicyObject[], cluster: Cluster, conn: Connection): boolean {
  if (!isPod(conn.to)) return true;
  const applicable = selecting(policies, conn.to, "Ingress");
  if (applicable.length === 0) return true;
  return applicable.some((p) =>
    (p.spec.ingress ?? []).some(
      (rule) =>
        (rule.from === undefined ||
          rule.from.length === 0 ||
          rule.from.some((peer) => peerMatches(peer, p.metadata.namespace, conn.from, cluster))) &&
        portMatches(rule.ports, conn, conn.to),
    ),
  );
}

export function connectionAllowed(policies: NetworkPolicyObject[], cluster: Cluster, conn: Connection): boolean {
  return egressAllowed(policies, cluster, conn) && ingressAllowed(policies, cluster, conn);
}
