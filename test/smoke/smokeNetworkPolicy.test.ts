import { kubernetesObjects } from "../../tools/kubernetesObjects";
import { ProgramRun } from "../../tools/mockRunner";
import { runStack } from "../support/render";
import { Cluster, ClusterPod, NetworkPolicyObject, connectionAllowed } from "../support/networkPolicyEvaluator";

// Staging runs the smoke test in the app namespace, whose policies deny everything not allowed.
let run: ProgramRun;
beforeAll(async () => {
  run = await runStack("staging");
});

const policiesOf = (r: ProgramRun) =>
  kubernetesObjects(r.resources).filter((o) => o.kind === "NetworkPolicy") as unknown as NetworkPolicyObject[];

function smokePod(r: ProgramRun): ClusterPod {
  const job = kubernetesObjects(r.resources).find((o) => o.kind === "Job")! as any;
  return { namespace: job.metadata.namespace, labels: job.spec.template.metadata.labels, ip: "10.1.0.50" };
}

const cluster: Cluster = { namespaces: ["websocket-staging", "traefik", "kube-system"].map((name) => ({ name })) };
const coredns: ClusterPod = { namespace: "kube-system", labels: { "k8s-app": "kube-dns" }, ip: "10.4.0.1" };
const loadBalancer = { ip: "203.0.113.10" };

describe("NetworkPolicies let the smoke test reach the public URL, and nothing else", () => {
  test("it runs in the app namespace, under its default deny", () => {
    expect(smokePod(run).namespace).toBe("websocket-staging");
    expect(policiesOf(run).some((p) => (p as any).metadata.name.endsWith("default-deny"))).toBe(true);
  });

  test.each([
    ["the public URL's load balancer on 443", loadBalancer, 443, "TCP", true],
    ["cluster DNS", coredns, 53, "UDP", true],
    ["the public address on another port", loadBalancer, 22, "TCP", false],
    ["the app's metrics port", { namespace: "websocket-staging", labels: { "app.kubernetes.io/name": "echo" }, ip: "10.1.0.10" }, 9090, "TCP", false],
  ] as const)("smoke pod → %s: %s", (_, to, port, protocol, allowed) => {
    expect(connectionAllowed(policiesOf(run), cluster, { from: smokePod(run), to, port, protocol })).toBe(allowed);
  });
});
