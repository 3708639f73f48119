import type { StackValidationPolicy } from "@pulumi/policy";
import { Finding, environmentConfigSchema, outsideDev, stackPolicy } from "../lib/define";
import { PolicySubject, metadataOf, types } from "../lib/resources";
import { webSocketWorkloads } from "../lib/workloads";
import { PolicySettings } from "../settings";

function selectsAllPods(selector: any): boolean {
  return Object.keys(selector?.matchLabels ?? {}).length === 0 && (selector?.matchExpressions ?? []).length === 0;
}

/** Directions ("Ingress", "Egress") a NetworkPolicy denies for every pod in its namespace. */
function deniedDirections(policy: PolicySubject): string[] {
  const spec = policy.props.spec ?? {};
  if (!spec.podSelector || !selectsAllPods(spec.podSelector)) return [];
  const declared: string[] = spec.policyTypes ?? (spec.egress ? ["Ingress", "Egress"] : ["Ingress"]);
  return declared.filter((d) => (d === "Ingress" ? spec.ingress : spec.egress)?.length ? false : true);
}

export function defaultDenyFindings(subjects: PolicySubject[]): Finding[] {
  const policies = subjects.filter((s) => s.type === types.networkPolicy);
  const findings: Finding[] = [];
  const seen = new Set<string | undefined>();
  for (const w of webSocketWorkloads(subjects)) {
    if (seen.has(w.namespace)) continue;
    seen.add(w.namespace);
    const denied = new Set(policies.filter((p) => metadataOf(p).namespace === w.namespace).flatMap(deniedDirections));
    const missing = ["Ingress", "Egress"].filter((d) => !denied.has(d));
    if (missing.length > 0) {
      findings.push({ subject: w.deployment, message: `Namespace ${w.namespace ?? "(default)"} (WebSocket workload ${metadataOf(w.deployment).name ?? w.deployment.name}) has no default-deny NetworkPolicy for ${missing.join(" and ")}: add one with podSelector: {} and policyTypes [${missing.join(", ")}] and no rules, then allow only what the app needs.` });
    }
  }
  return findings;
}

export function defaultDenyPolicy(settings: PolicySettings): StackValidationPolicy {
  return stackPolicy(
    {
      name: "default-deny-networkpolicy",
      description: "Outside dev, every namespace with WebSocket workloads has a default-deny NetworkPolicy for ingress and egress.",
      enforcementLevel: "mandatory",
      configSchema: environmentConfigSchema,
    },
    // dev stacks turn NetworkPolicies off (local clusters often run a CNI that ignores them).
    (subjects, args) => outsideDev(settings, args, defaultDenyFindings(subjects), "requires a default deny"),
  );
}
