/** Pod Security Standard levels a namespace can enforce. */
export const PodSecurityLevel = { restricted: "restricted", baseline: "baseline", privileged: "privileged" } as const;
export type PodSecurityLevel = (typeof PodSecurityLevel)[keyof typeof PodSecurityLevel];

/** Enforce, audit and warn at one level, against the latest policy version of the cluster. */
export function podSecurityLabels(level: PodSecurityLevel): Record<string, string> {
  return {
    "pod-security.kubernetes.io/enforce": level,
    "pod-security.kubernetes.io/enforce-version": "latest",
    "pod-security.kubernetes.io/audit": level,
    "pod-security.kubernetes.io/warn": level,
  };
}
