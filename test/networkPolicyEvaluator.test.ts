import { Cluster, NetworkPolicyObject, cidrContains, connectionAllowed, selectorMatches } from "./support/networkPolicyEvaluator";

// The evaluator itself, on hand-written policies whose outcome the Kubernetes docs state.
const cluster: Cluster = { namespaces: [{ name: "app", labels: { team: "rt" } }, { name: "other" }] };
const web = { namespace: "app", labels: { role: "web" }, ip: "10.0.0.1", namedPorts: { http: 8080 } };
const db = { namespace: "app", labels: { role: "db" }, ip: "10.0.0.2" };
const stranger = { namespace: "other", labels: { role: "web" }, ip: "10.0.1.1" };
const internet = { ip: "93.184.216.34" };

const policy = (spec: NetworkPolicyObject["spec"], namespace = "app"): NetworkPolicyObject => ({ metadata: { name: "p", namespace }, spec });

describe("NetworkPolicy evaluator", () => {
  test("no policy selects a pod: everything is allowed", () => {
    expect(connectionAllowed([], cluster, { from: stranger, to: web, port: 8080 })).toBe(true);
  });

  test("an ingress policy with no rules isolates the selected pods only", () => {
    const deny = [policy({ podSelector: { matchLabels: { role: "web" } } })];
    expect(connectionAllowed(deny, cluster, { from: db, to: web, port: 8080 })).toBe(false);
    expect(connectionAllowed(deny, cluster, { from: web, to: db, port: 5432 })).toBe(true);
    // Egress is not isolated unless policyTypes says so (or egress rules exist).
    expect(connectionAllowed(deny, cluster, { from: web, to: internet, port: 443 })).toBe(true);
  });

  test("policies are additive, and a peer with both selectors is an AND while two peers are an OR", () => {
    const base = policy({ podSelector: {}, policyTypes: ["Ingress"] });
    const and = policy({
      podSelector: { matchLabels: { role: "web" } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "other" } }, podSelector: { matchLabels: { role: "db" } } }] }],
    });
    const or = policy({
      podSelector: { matchLabels: { role: "web" } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "other" } } }, { podSelector: { matchLabels: { role: "db" } } }] }],
    });
    expect(connectionAllowed([base, and], cluster, { from: stranger, to: web, port: 8080 })).toBe(false);
    expect(connectionAllowed([base, or], cluster, { from: stranger, to: web, port: 8080 })).toBe(true);
    expect(connectionAllowed([base, or], cluster, { from: db, to: web, port: 8080 })).toBe(true);
  });

  test("ports: numbers, names resolved on the destination, ranges and protocols", () => {
    const byName = policy({ podSelector: {}, ingress: [{ ports: [{ port: "http" }] }] });
    expect(connectionAllowed([byName], cluster, { from: db, to: web, port: 8080 })).toBe(true);
    expect(connectionAllowed([byName], cluster, { from: web, to: db, port: 8080 })).toBe(false);
    const range = policy({ podSelector: {}, ingress: [{ ports: [{ port: 9000, endPort: 9010, protocol: "UDP" }] }] });
    expect(connectionAllowed([range], cluster, { from: db, to: web, port: 9005, protocol: "UDP" })).toBe(true);
    expect(connectionAllowed([range], cluster, { from: db, to: web, port: 9005 })).toBe(false);
    expect(connectionAllowed([range], cluster, { from: db, to: web, port: 9011, protocol: "UDP" })).toBe(false);
  });

  test("egress: ipBlock with except, and a selector never matches an address outside the cluster", () => {
    const egress = policy({
      podSelector: { matchLabels: { role: "web" } },
      policyTypes: ["Egress"],
      egress: [{ to: [{ ipBlock: { cidr: "93.184.0.0/16", except: ["93.184.216.0/24"] } }, { namespaceSelector: {} }] }],
    });
    expect(connectionAllowed([egress], cluster, { from: web, to: { ip: "93.184.1.1" }, port: 443 })).toBe(true);
    expect(connectionAllowed([egress], cluster, { from: web, to: internet, port: 443 })).toBe(false);
    expect(connectionAllowed([egress], cluster, { from: web, to: stranger, port: 443 })).toBe(true);
  });

  test("label selectors: matchExpressions operators, and namespaces carry kubernetes.io/metadata.name", () => {
    expect(selectorMatches({ matchExpressions: [{ key: "a", operator: "In", values: ["1", "2"] }] }, { a: "2" })).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: "a", operator: "NotIn", values: ["1"] }] }, { a: "1" })).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: "a", operator: "NotIn", values: ["1"] }] }, {})).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: "a", operator: "Exists" }] }, {})).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: "a", operator: "DoesNotExist" }] }, {})).toBe(true);
    const byTeam = policy({ podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: "rt" } } }] }] });
    expect(connectionAllowed([byTeam], cluster, { from: db, to: web, port: 1 })).toBe(true);
    expect(connectionAllowed([byTeam], cluster, { from: stranger, to: web, port: 1 })).toBe(false);
  });

  test("CIDR arithmetic", () => {
    expect(cidrContains("10.0.0.0/8", "10.255.1.2")).toBe(true);
    expect(cidrContains("10.0.0.0/8", "11.0.0.1")).toBe(false);
    expect(cidrContains("169.254.7.127/32", "169.254.7.127")).toBe(true);
    expect(cidrContains("0.0.0.0/0", "1.2.3.4")).toBe(true);
  });
});
