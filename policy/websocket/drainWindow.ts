import type { StackValidationPolicy } from "@pulumi/policy";
import { Finding, stackPolicy } from "../lib/define";
import { configNumber } from "../lib/policyArgs";
import { PolicySubject, describe } from "../lib/resources";
import { webSocketWorkloads } from "../lib/workloads";
import { PolicySettings } from "../settings";

/** Kubernetes' terminationGracePeriodSeconds when a pod spec leaves it out. */
const defaultGracePeriodSeconds = 30;

/** Seconds a preStop hook waits: the sleep action, or `sleep N` in an exec command; undefined when it cannot tell. */
function preStopSeconds(preStop: any): number | undefined {
  if (typeof preStop?.sleep?.seconds === "number") return preStop.sleep.seconds;
  const command = (preStop?.exec?.command ?? []).join(" ");
  const m = /\bsleep\s+(\d+)/.exec(command);
  return m ? Number(m[1]) : undefined;
}

export function drainWindowFindings(subjects: PolicySubject[], minWindow: number): Finding[] {
  const findings: Finding[] = [];
  for (const w of webSocketWorkloads(subjects)) {
    const grace = w.podSpec.terminationGracePeriodSeconds ?? defaultGracePeriodSeconds;
    for (const container of w.podSpec.containers ?? []) {
      const preStop = container.lifecycle?.preStop;
      if (!preStop) {
        findings.push({ subject: w.deployment, message: `${describe(w.deployment)}: container "${container.name}" has no preStop hook, so it gets SIGTERM while endpoints still send it new upgrades; add lifecycle.preStop (sleep).` });
        continue;
      }
      const wait = preStopSeconds(preStop) ?? 0;
      if (grace - wait < minWindow) {
        findings.push({ subject: w.deployment, message: `${describe(w.deployment)}: terminationGracePeriodSeconds ${grace} leaves ${grace - wait}s after the ${wait}s preStop wait of "${container.name}" to close its connections; the drain window must be at least ${minWindow}s.` });
      }
    }
  }
  return findings;
}

export function drainWindowPolicy(settings: PolicySettings): StackValidationPolicy {
  return stackPolicy(
    {
      name: "websocket-drain-window",
      description: "Every WebSocket Deployment stops taking upgrades (preStop) and has a drain window after SIGTERM before it is killed.",
      enforcementLevel: "mandatory",
      configSchema: { properties: { minDrainWindowSeconds: { type: "integer", minimum: 1 } } },
    },
    (subjects, args) => drainWindowFindings(subjects, configNumber(args, "minDrainWindowSeconds", settings.minDrainWindowSeconds)),
  );
}
