import * as k8s from "@pulumi/kubernetes";

/** Non-root UID/GID of distroless `nonroot` images; set explicitly so a name-only USER cannot fail runAsNonRoot. */
export const nonRootId = 65532;

/** Pod-level settings the Pod Security Standard `restricted` requires. */
export const restrictedPodSecurityContext: k8s.types.input.core.v1.PodSecurityContext = {
  runAsNonRoot: true,
  runAsUser: nonRootId,
  runAsGroup: nonRootId,
  fsGroup: nonRootId,
  seccompProfile: { type: "RuntimeDefault" },
};

/** Container-level settings `restricted` requires, plus a read-only root filesystem. */
export const restrictedContainerSecurityContext: k8s.types.input.core.v1.SecurityContext = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};
