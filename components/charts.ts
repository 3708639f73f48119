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
  // Guide correction: a pinned chart, not the guide's controller-v1.8.1 static manifest.
  // Retired upstream in March 2026 (no more releases or security fixes): 4.15.1 is the final chart.
  ingressNginx: { chart: "ingress-nginx", repository: "https://kubernetes.github.io/ingress-nginx", version: "4.15.1", checked: "2026-11-24" },
  // Guide correction: traefik.github.io/charts, not the guide's old helm.traefik.io repository.
  traefik: { chart: "traefik", repository: "https://traefik.github.io/charts", version: "41.3.0", checked: "2026-11-24" },
  haproxyKubernetesIngress: { chart: "kubernetes-ingress", repository: "https://haproxytech.github.io/helm-charts", version: "1.52.1", checked: "2026-11-24" },
  nginxGatewayFabric: { chart: "nginx-gateway-fabric", repository: "oci://ghcr.io/nginx/charts", version: "2.6.7", checked: "2026-11-24" },
} satisfies Record<string, ChartPin>;

/** A plain manifest we apply (no chart exists for it), pinned like the charts. */
export interface ManifestPin {
  url: string;
  version: string;
  checked: string;
}

/** Manifests this package applies, pinned in one place. */
export const manifests = {
  // Gateway API standard channel: the version NGINX Gateway Fabric 2.6.7 and Traefik chart 41.3.0 both document.
  gatewayApiStandard: {
    url: "https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.5.1/standard-install.yaml",
    version: "v1.5.1",
    checked: "2026-11-24",
  },
} satisfies Record<string, ManifestPin>;
