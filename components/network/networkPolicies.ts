import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { parseConfig } from "../config/parse";
import { NetworkPolicyArgs, NetworkPolicySettings, networkPolicySchema } from "../config/schema/networkPolicy";
import { MeshNetworkNeeds, MeshPeer, MeshPort } from "../mesh/types";
import { objectName } from "../naming";

type NetworkPolicySpec = k8s.types.input.networking.v1.NetworkPolicySpec;
type NetworkPolicyPeer = k8s.types.input.networking.v1.NetworkPolicyPeer;
type NetworkPolicyPort = k8s.types.input.networking.v1.NetworkPolicyPort;
type NetworkPolicyEgressRule = k8s.types.input.networking.v1.NetworkPolicyEgressRule;

/** Pods that may open WebSocket connections: the ingress controller's. */
export interface ControllerPeerArgs {
  namespace: string;
  podLabels: Record<string, string>;
}

/** The smoke-test Job's pods, when they run in the app namespace: they connect out to the public URL. */
export interface SmokeTestPeerArgs {
  podSelector: Record<string, string>;
  /** Port of the public URL (443 for wss://, 80 for ws://). */
  urlPort: number;
}

export interface AppNetworkPoliciesArgs {
  /** App namespace: default-deny for every pod in it. */
  namespace: pulumi.Input<string>;
  /** Name the policies derive from (the app's name). */
  appName: string;
  /** Selector labels of the app's pods. */
  podSelector: Record<string, string>;
  /** Container port of the WebSocket (and health) endpoint. */
  webSocketPort: number;
  /** Container port of the metrics endpoint. */
  metricsPort: number;
  /** The ingress controller's pods; no controller rule when left out. */
  controller?: ControllerPeerArgs;
  /** Monitoring, DNS and extra egress settings (`networkPolicy` in stack config). */
  policy: NetworkPolicyArgs;
  /** What the mesh needs (control plane, tunnel ports); none for no mesh. */
  mesh?: MeshNetworkNeeds;
  /** The smoke-test pods in this namespace, if any. */
  smokeTest?: SmokeTestPeerArgs;
}

/** The component's args with the `networkPolicy` section validated and defaulted. */
export type AppNetworkPolicyInputs = Omit<AppNetworkPoliciesArgs, "policy"> & { policy: NetworkPolicySettings };

export interface NamedPolicy {
  name: string;
  spec: NetworkPolicySpec;
}

const tcp = (port: number): NetworkPolicyPort => ({ port, protocol: "TCP" });
const toPorts = (ports: MeshPort[]): NetworkPolicyPort[] => ports.map((p) => ({ port: p.port, protocol: p.protocol }));

/** Pods of a namespace picked by its immutable kubernetes.io/metadata.name label (never a user-settable `name:` label, as the guide does). */
function podsIn(namespace: string, podLabels: Record<string, string> | undefined): NetworkPolicyPeer {
  return {
    namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": namespace } },
    podSelector: { matchLabels: podLabels ?? {} },
  };
}

function peerOf(peer: MeshPeer): NetworkPolicyPeer {
  return peer.cidr !== undefined ? { ipBlock: { cidr: peer.cidr } } : podsIn(peer.namespace ?? "", peer.podLabels);
}

/** The policies, as plain specs: default deny, then one allow per flow the app needs. */
export function appNetworkPolicySpecs(args: AppNetworkPolicyInputs): NamedPolicy[] {
  const app = { matchLabels: args.podSelector };
  const mesh = args.mesh ?? { tunnelPorts: [], controlPlaneEgress: [], extraIngress: [] };
  const named = (suffix: string, spec: NetworkPolicySpec): NamedPolicy => ({ name: objectName(args.appName, suffix), spec });
  const policies: NamedPolicy[] = [
    named("default-deny", { podSelector: {}, policyTypes: ["Ingress", "Egress"] }),
  ];
  if (args.controller) {
    policies.push(
      named("from-controller", {
        podSelector: app,
        policyTypes: ["Ingress"],
        // The WebSocket port only; meshed controllers arrive on the mesh's tunnel port instead.
        ingress: [{ from: [podsIn(args.controller.namespace, args.controller.podLabels)], ports: [tcp(args.webSocketPort), ...toPorts(mesh.tunnelPorts)] }],
      }),
    );
  }
  policies.push(
    named("from-monitoring", {
      podSelector: app,
      policyTypes: ["Ingress"],
      ingress: [{ from: [podsIn(args.policy.monitoring.namespace, args.policy.monitoring.podLabels)], ports: [tcp(args.metricsPort)] }],
    }),
    // Guide correction: DNS to kube-dns only; the guide's namespaceSelector {} opened port 53 to every pod.
    named("to-dns", {
      podSelector: app,
      policyTypes: ["Egress"],
      egress: [{ to: [podsIn(args.policy.dns.namespace, args.policy.dns.podLabels)], ports: [{ port: 53, protocol: "UDP" }, tcp(53)] }],
    }),
  );
  if (mesh.controlPlaneEgress.length > 0 || mesh.extraIngress.length > 0) {
    policies.push(
      named("mesh", {
        podSelector: app,
        policyTypes: [...(mesh.extraIngress.length > 0 ? ["Ingress"] : []), ...(mesh.controlPlaneEgress.length > 0 ? ["Egress"] : [])],
        ...(mesh.extraIngress.length > 0 ? { ingress: mesh.extraIngress.map((p) => ({ from: [peerOf(p)], ports: toPorts(p.ports) })) } : {}),
        ...(mesh.controlPlaneEgress.length > 0
          ? { egress: mesh.controlPlaneEgress.map((p) => ({ to: [peerOf(p)], ports: toPorts(p.ports) })) }
          : {}),
      }),
    );
  }
  // One policy per egress name; entries sharing a name add rules to the same policy.
  const egressByName = new Map<string, NetworkPolicyEgressRule[]>();
  const addEgress = (name: string, rule: NetworkPolicyEgressRule) => egressByName.set(name, [...(egressByName.get(name) ?? []), rule]);
  for (const rule of args.policy.extraEgress) {
    addEgress(rule.name, {
      to: [podsIn(rule.namespace, rule.podLabels)],
      // A meshed destination is reached on the mesh's tunnel port.
      ports: [...rule.ports.map((p) => ({ port: p.port, protocol: p.protocol })), ...toPorts(mesh.tunnelPorts)],
    });
  }
  for (const rule of args.policy.externalEgress) {
    addEgress(rule.name, { to: [{ ipBlock: { cidr: rule.cidr } }], ports: rule.ports.map((p) => ({ port: p.port, protocol: p.protocol })) });
  }
  for (const [name, egress] of egressByName) {
    policies.push(named(`egress-${name}`, { podSelector: app, policyTypes: ["Egress"], egress }));
  }
  if (args.smokeTest) {
    // The public URL resolves to a load balancer whose address is not known here: any address, on the URL's port only.
    // An in-cluster smokeTest.address reaches the controller's pods on their container ports.
    policies.push(
      named("smoke-test-egress", {
        podSelector: { matchLabels: args.smokeTest.podSelector },
        policyTypes: ["Egress"],
        egress: [
          { to: [podsIn(args.policy.dns.namespace, args.policy.dns.podLabels)], ports: [{ port: 53, protocol: "UDP" }, tcp(53)] },
          { to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [tcp(args.smokeTest.urlPort)] },
          ...(args.controller ? [{ to: [podsIn(args.controller.namespace, args.controller.podLabels)] }] : []),
        ],
      }),
    );
  }
  return policies;
}

/** Least-privilege NetworkPolicies for one WebSocket app: default deny in and out, then only the flows it needs. */
export class AppNetworkPolicies extends pulumi.ComponentResource {
  public readonly policyNames: pulumi.Output<string[]>;

  constructor(name: string, args: AppNetworkPoliciesArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before super(): bad args register nothing.
    const policy = parseConfig(networkPolicySchema, args.policy, { prefix: "AppNetworkPolicies args.policy." });
    super("websocket-platform:index:AppNetworkPolicies", name, {}, opts);
    const specs = appNetworkPolicySpecs({ ...args, policy });
    for (const policy of specs) {
      new k8s.networking.v1.NetworkPolicy(
        `${name}-${policy.name}`,
        { metadata: { name: policy.name, namespace: args.namespace }, spec: policy.spec },
        { parent: this },
      );
    }
    this.policyNames = pulumi.output(specs.map((p) => p.name));
    this.registerOutputs({ policyNames: this.policyNames });
  }
}
