import type { StackValidationPolicy } from "@pulumi/policy";
import { Finding, stackPolicy } from "../lib/define";
import { PolicySubject, describe, metadataOf, selectorMatches, types } from "../lib/resources";
import { webSocketWorkloads } from "../lib/workloads";

/** A budget that allows no eviction at all blocks node drains forever; one that is missing allows evicting every pod at once. */
function blocksAllEvictions(pdb: PolicySubject, replicas: number | undefined): boolean {
  const { maxUnavailable, minAvailable } = pdb.props.spec ?? {};
  if (maxUnavailable !== undefined) return maxUnavailable === 0 || maxUnavailable === "0%";
  if (minAvailable === "100%") return true;
  return typeof minAvailable === "number" && replicas !== undefined && minAvailable >= replicas;
}

export function disruptionBudgetFindings(subjects: PolicySubject[]): Finding[] {
  const budgets = subjects.filter((s) => s.type === types.podDisruptionBudget);
  const findings: Finding[] = [];
  for (const w of webSocketWorkloads(subjects)) {
    const mine = budgets.filter((b) => metadataOf(b).namespace === w.namespace && selectorMatches(b.props.spec?.selector, w.podLabels));
    if (mine.length === 0) {
      findings.push({ subject: w.deployment, message: `${describe(w.deployment)} serves WebSockets but no PodDisruptionBudget selects its pods: a node drain may evict every pod and drop every connection at once; add one with maxUnavailable: 1.` });
      continue;
    }
    for (const pdb of mine.filter((b) => blocksAllEvictions(b, w.deployment.props.spec?.replicas))) {
      findings.push({ subject: pdb, message: `${describe(pdb)} allows no voluntary eviction of ${describe(w.deployment)}: node drains and cluster upgrades will hang; allow at least one pod (maxUnavailable: 1).` });
    }
  }
  return findings;
}

export function disruptionBudgetPolicy(): StackValidationPolicy {
  return stackPolicy(
    {
      name: "websocket-disruption-budget",
      description: "Every WebSocket Deployment has a PodDisruptionBudget that limits, but does not forbid, voluntary evictions.",
      // Advisory: it matters only during voluntary disruptions, and a one-replica dev stack cannot have a useful one.
      enforcementLevel: "advisory",
    },
    disruptionBudgetFindings,
  );
}
