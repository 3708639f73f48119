import type { StackValidationPolicy } from "@pulumi/policy";
import { Finding, stackPolicy } from "../lib/define";
import { PolicySubject, describe, metadataOf, types } from "../lib/resources";
import { allContainers, podTemplateOf, webSocketWorkloads } from "../lib/workloads";

// The Pod Security Standard "restricted" profile (kubernetes.io/docs/concepts/security/pod-security-standards).
const allowedVolumeKinds = ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"];
const safeSysctls = [
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
];

/** Every way a pod spec breaks the restricted profile, as short phrases. */
export function restrictedViolations(spec: any): string[] {
  const problems: string[] = [];
  const pod = spec?.securityContext ?? {};
  for (const host of ["hostNetwork", "hostPID", "hostIPC"]) if (spec?.[host] === true) problems.push(`${host}: true`);
  for (const v of spec?.volumes ?? []) {
    const kind = Object.keys(v).find((k) => k !== "name");
    if (kind && !allowedVolumeKinds.includes(kind)) problems.push(`volume "${v.name}" of type ${kind}`);
  }
  for (const s of pod.sysctls ?? []) if (!safeSysctls.includes(s.name)) problems.push(`unsafe sysctl ${s.name}`);
  if (pod.runAsUser === 0) problems.push("pod runAsUser: 0");
  const podSeccomp = pod.seccompProfile?.type;
  if (podSeccomp === "Unconfined") problems.push("pod seccompProfile Unconfined");
  if (pod.appArmorProfile?.type === "Unconfined") problems.push("pod appArmorProfile Unconfined");
  for (const c of allContainers(spec)) {
    const sc = c.securityContext ?? {};
    const who = `container "${c.name}"`;
    if (sc.privileged === true) problems.push(`${who} privileged`);
    if (sc.allowPrivilegeEscalation !== false) problems.push(`${who} without allowPrivilegeEscalation: false`);
    if (!(sc.runAsNonRoot === true || (sc.runAsNonRoot === undefined && pod.runAsNonRoot === true))) problems.push(`${who} without runAsNonRoot: true`);
    if (sc.runAsUser === 0) problems.push(`${who} runAsUser: 0`);
    const seccomp = sc.seccompProfile?.type ?? podSeccomp;
    if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost") problems.push(`${who} without seccompProfile RuntimeDefault or Localhost`);
    if (!(sc.capabilities?.drop ?? []).includes("ALL")) problems.push(`${who} does not drop ALL capabilities`);
    for (const cap of sc.capabilities?.add ?? []) if (cap !== "NET_BIND_SERVICE") problems.push(`${who} adds capability ${cap}`);
    if (sc.procMount !== undefined && sc.procMount !== "Default") problems.push(`${who} procMount ${sc.procMount}`);
    if (sc.appArmorProfile?.type === "Unconfined") problems.push(`${who} appArmorProfile Unconfined`);
    for (const p of c.ports ?? []) if (p.hostPort) problems.push(`${who} hostPort ${p.hostPort}`);
  }
  return problems;
}

export function podSecurityFindings(subjects: PolicySubject[]): Finding[] {
  const findings: Finding[] = [];
  for (const workload of subjects) {
    const template = podTemplateOf(workload);
    if (!template) continue;
    const problems = restrictedViolations(template.spec);
    if (problems.length > 0) findings.push({ subject: workload, message: `${describe(workload)} breaks Pod Security "restricted": ${problems.join("; ")}.` });
  }
  // The namespaces of WebSocket workloads must enforce restricted too, so the API server rejects what slips past here.
  const wsNamespaces = new Set(webSocketWorkloads(subjects).map((w) => w.namespace));
  for (const ns of subjects.filter((s) => s.type === types.namespace)) {
    const m = metadataOf(ns);
    if (!wsNamespaces.has(m.name)) continue;
    const enforce = m.labels["pod-security.kubernetes.io/enforce"];
    if (enforce !== "restricted") findings.push({ subject: ns, message: `${describe(ns)} runs WebSocket pods but enforces Pod Security "${enforce ?? "(none)"}"; label it pod-security.kubernetes.io/enforce: restricted.` });
  }
  return findings;
}

export function podSecurityPolicy(): StackValidationPolicy {
  return stackPolicy(
    {
      name: "pod-security-restricted",
      description: "Every pod template meets the Pod Security Standard restricted profile, and WebSocket namespaces enforce it.",
      enforcementLevel: "mandatory",
    },
    podSecurityFindings,
  );
}
