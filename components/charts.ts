/** A Helm chart we install: where from, which version, and when that was last checked upstream. */
export interface ChartPin {
  chart: string;
  /** The chart's official repository (https Helm repository, or an oci:// reference where that is the documented one). */
  repository: string;
  version: string;
  /** Date the version and repository were checked against upstream (YYYY-MM-DD). */
  checked: string;
}

/** Every chart this package installs, pinned in one place. */
export const charts = {
  // OCI is the source of truth per cert-manager's install docs; charts.jetstack.io is the legacy mirror.
  certManager: { chart: "cert-manager", repository: "oci://quay.io/jetstack/charts", version: "v1.21.1", checked: "2026-11-24" },
} satisfies Record<string, ChartPin>;
