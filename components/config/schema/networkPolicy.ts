import { z } from "zod";
import { EnvironmentDefaults } from "../environment";
import { SameShape, dnsLabel, port } from "./common";

export const NetworkProtocol = { TCP: "TCP", UDP: "UDP" } as const;
export type NetworkProtocol = (typeof NetworkProtocol)[keyof typeof NetworkProtocol];

export interface NetworkPortArgs {
  port: number;
  /** TCP unless given. */
  protocol?: NetworkProtocol;
}

/** Pods in one namespace, chosen by labels ({} or none: every pod there). */
export interface NetworkPeerArgs {
  namespace?: string;
  podLabels?: Record<string, string>;
}

/** Pods in the cluster the app may open connections to, e.g. Redis for pub/sub. */
export interface ExtraEgressArgs {
  /** Short name; the NetworkPolicy is named after it. */
  name: string;
  /** Namespace of the destination pods. */
  namespace: string;
  /** Labels of the destination pods; none: every pod of the namespace. */
  podLabels?: Record<string, string>;
  /** Ports allowed to those pods. */
  ports: NetworkPortArgs[];
}

/** An address range outside the cluster the app may open connections to (a managed Redis, a database). */
export interface ExternalEgressArgs {
  /** Short name; the NetworkPolicy is named after it. */
  name: string;
  /** IPv4 range. */
  cidr: string;
  /** Ports allowed to that range. */
  ports: NetworkPortArgs[];
}

/** Arguments of the least-privilege networkpolicies part: `networkPolicy` in stack config. */
export interface NetworkPolicyArgs {
  /** Whether this part is deployed. */
  enabled?: boolean;
  /** Where Prometheus runs: the only peer allowed on the metrics port. */
  monitoring?: NetworkPeerArgs;
  /** The cluster DNS pods: the only egress every app pod gets. */
  dns?: NetworkPeerArgs;
  /** Further pods in the cluster the app may reach. */
  extraEgress?: ExtraEgressArgs[];
  /** Address ranges outside the cluster the app may reach. */
  externalEgress?: ExternalEgressArgs[];
}

/** A label key (optional DNS prefix + name ≤ 63) and value (≤ 63, alphanumeric ends), as Kubernetes accepts them. */
const labelKey = z
  .string()
  .regex(
    /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/,
    "a label key such as app.kubernetes.io/name",
  );
const labelValue = z.string().regex(/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/, "a label value (≤ 63 characters, alphanumeric ends)");
const labels = z.record(labelKey, labelValue);

const ipv4Cidr = z
  .string()
  .regex(/^((25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(25[0-5]|2[0-4]\d|1?\d?\d)\/(3[0-2]|[12]?\d)$/, "an IPv4 CIDR such as 10.20.0.0/16");

const egressName = dnsLabel.max(20).describe("Short name; the NetworkPolicy is named egress-<name> (entries sharing a name share the policy).");
const portsSchema = z
  .array(
    z.strictObject({
      port: port.describe("Destination port."),
      protocol: z.enum(NetworkProtocol).default("TCP").describe("TCP or UDP."),
    }),
  )
  .min(1)
  .max(10)
  .describe("Ports allowed to that destination.");

const peerSchema = (namespace: string, podLabels: Record<string, string>) =>
  z
    .strictObject({
      namespace: dnsLabel.default(namespace).describe("Namespace (matched by its kubernetes.io/metadata.name label)."),
      podLabels: labels.default(podLabels).describe("Pod labels; {} selects every pod of the namespace."),
    })
    .default({ namespace, podLabels });

export const networkPolicySchema = z.strictObject({
  enabled: z.boolean().default(true).describe("Least-privilege NetworkPolicies: on or off."),
  monitoring: peerSchema("monitoring", { "app.kubernetes.io/name": "prometheus" }).describe(
    "Prometheus pods allowed on the metrics port (prometheus-operator labels its pods app.kubernetes.io/name: prometheus).",
  ),
  dns: peerSchema("kube-system", { "k8s-app": "kube-dns" }).describe("Cluster DNS pods (CoreDNS keeps the k8s-app: kube-dns label)."),
  extraEgress: z
    .array(
      z.strictObject({
        name: egressName,
        namespace: dnsLabel.describe("Namespace of the destination pods."),
        podLabels: labels.optional().describe("Labels of the destination pods; none: every pod of the namespace."),
        ports: portsSchema,
      }),
    )
    .max(20)
    .default([])
    .describe("Further pods the app may reach, e.g. Redis: {name: redis, namespace: redis, podLabels: {app: redis}, ports: [{port: 6379}]}."),
  externalEgress: z
    .array(z.strictObject({ name: egressName, cidr: ipv4Cidr.describe("IPv4 range outside the cluster."), ports: portsSchema }))
    .max(20)
    .default([])
    .describe("Address ranges outside the cluster the app may reach, e.g. {name: db, cidr: 10.20.0.0/16, ports: [{port: 5432}]}."),
});

export type NetworkPolicySettings = z.output<typeof networkPolicySchema>;
const networkPolicyShapeMatches: SameShape<z.input<typeof networkPolicySchema>, NetworkPolicyArgs> = true;
void networkPolicyShapeMatches;

export const networkPolicyEnvironmentDefaults: EnvironmentDefaults<Partial<NetworkPolicyArgs>> = {
  dev: { enabled: false },
  staging: { enabled: true },
  prod: { enabled: true },
};
