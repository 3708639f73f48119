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
  /** Istio's per-gateway chart (manifests/charts/gateway); needs base + istiod installed first (image "auto" is injected by istiod). */
  istioGateway: {
    chart: "gateway",
    repository: "https://istio-release.storage.googleapis.com/charts",
    version: "1.30.3",
    checked: "2026-11-24",
  },
} satisfies Record<string, ChartPin>;
