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
  keda: { chart: "keda", repository: "https://kedacore.github.io/charts", version: "2.20.2", checked: "2026-11-24" },
  prometheusAdapter: {
    chart: "prometheus-adapter",
    repository: "https://prometheus-community.github.io/helm-charts",
    version: "5.3.0",
    checked: "2026-11-24",
  },
  /** Istio's per-gateway chart (manifests/charts/gateway); needs base + istiod installed first (image "auto" is injected by istiod). */
  istioGateway: {
    chart: "gateway",
    repository: "https://istio-release.storage.googleapis.com/charts",
    version: "1.30.3",
    checked: "2026-11-24",
  },
} satisfies Record<string, ChartPin>;
