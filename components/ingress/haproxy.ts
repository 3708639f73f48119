import * as pulumi from "@pulumi/pulumi";
import { charts } from "../charts";
import { ClusterSettings } from "../cluster/clusterSettings";
import { PlatformSettings } from "../config/schema/platform";
import { exitMarginSeconds } from "../app/timings";
import { strictTransportSecurity } from "../tls/hsts";
import { secondsText } from "./durations";
import { affinityCookieName, chartTimeout } from "./routeCommon";
import { ingressApiRoute, ingressHttp01Solver, installIngressApiController } from "./kubernetesIngress";
import { ControllerLocation, ControllerServiceRef, IngressController, InstalledController, PathTimeout, RouteInputs } from "./types";
import { ControllerPods, firstPod } from "./controllerPods";

const releaseName = "haproxy-kubernetes-ingress";
const prefix = "haproxy.org/";

export function haproxyNamespace(settings: { ingress: { namespace?: string } }): string {
  return settings.ingress.namespace ?? "haproxy-controller";
}

export function haproxyClassName(settings: { ingress: { className?: string } }): string {
  return settings.ingress.className ?? "haproxy";
}

/**
 * Chart values for haproxytech/kubernetes-ingress 1.52.1 (controller 3.2). Keys that are ConfigMap-only upstream
 * (timeout-tunnel, timeout-client) and cookie-persistence (not available on Ingress in 3.2) go to controller.config, as strings.
 */
export function haproxyValues(cluster: ClusterSettings): Record<string, unknown> {
  const lifetime = secondsText(cluster.ingress.connectionLifetimeSeconds);
  const replicas = cluster.ingress.replicas;
  const className = haproxyClassName(cluster);
  const preStop = cluster.ingress.preStopSeconds;
  const drain = cluster.ingress.drainSeconds;
  const monitoring = cluster.monitoring;
  return {
    controller: {
      replicaCount: replicas,
      PodDisruptionBudget: replicas > 1 ? { enable: true, maxUnavailable: 1 } : { enable: false },
      ingressClass: className,
      ingressClassResource: { name: className, default: false },
      // Non-root with NET_BIND_SERVICE only and RuntimeDefault seccomp: fits Pod Security restricted.
      unprivileged: true,
      enableRuntimeDefaultSeccompProfile: true,
      allowPrivilegeEscalation: false,
      // The kubelet's sleep (no shell needed) while load balancers drop the pod; then HAProxy soft-stops for up to hard-stop-after.
      lifecycle: { preStop: { sleep: { seconds: preStop } } },
      terminationGracePeriodSeconds: preStop + drain + exitMarginSeconds,
      // The chart's default Service is a NodePort with the stats page and pprof on it: public traffic gets HTTP and HTTPS only.
      service: { type: "LoadBalancer", enablePorts: { stat: false, admin: false } },
      pprof: { enabled: false },
      prometheus: { enabled: true },
      // The chart scrapes the stats port through its own ClusterIP metrics Service.
      ...(monitoring.enabled ? { serviceMonitor: { enabled: true, extraLabels: monitoring.prometheusLabels } } : {}),
      config: {
        // The guide's haproxy.org/timeout-tunnel annotation does not exist: tunnel and client timeouts are ConfigMap-only.
        "timeout-tunnel": lifetime,
        "timeout-client": lifetime,
        "timeout-server": lifetime,
        "timeout-connect": secondsText(cluster.ingress.connectTimeoutSeconds),
        // Bounds a soft stop (a stopping pod, and the old process after a reload) instead of the default 30 minutes.
        "hard-stop-after": secondsText(drain),
        // Guide correction: cookie-persistence is ConfigMap/Service-only in 3.2, not an Ingress annotation as in the guide.
        ...(cluster.ingress.sessionAffinity ? { "cookie-persistence": affinityCookieName } : {}),
      },
    },
  };
}

/** An origin list as HAProxy takes it: "*", one origin, or one anchored regex for several. */
export function haproxyOrigin(origins: string[]): string {
  if (origins.includes("*")) return "*";
  if (origins.length === 1 && !origins[0].includes("*")) return origins[0];
  const escape = (o: string) => o.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*\\\./g, "[a-z0-9-]+\\.");
  return `^(${origins.map(escape).join("|")})$`;
}

/** The Ingress annotations: only keys the v3.2 catalogue allows on Ingress objects. */
export function haproxyAnnotations(settings: PlatformSettings): Record<string, string> {
  const { ingress, app, tls } = settings;
  const a: Record<string, string> = {
    // Least connections spreads long-lived WebSockets; round robin counts requests, not open connections.
    // Guide correction: real keys (load-balance, forwarded-for, rate-limit-requests), not the guide's invented ones.
    "load-balance": "leastconn",
    check: "true",
    "check-http": app.health.readinessPath,
    "check-interval": "5s",
    "forwarded-for": "true",
    "timeout-server": secondsText(app.connectionLifetimeSeconds),
  };
  if (tls.enabled) {
    a["ssl-redirect"] = "true";
    a["ssl-redirect-code"] = "301";
    a["response-set-header"] = `Strict-Transport-Security "${strictTransportSecurity(tls)}"`;
  }
  if (ingress.rateLimit) {
    // HAProxy counts requests per period; a burst widens the one-second allowance.
    a["rate-limit-requests"] = String(ingress.rateLimit.requestsPerSecond + (ingress.rateLimit.burst ?? 0));
    a["rate-limit-period"] = "1s";
    a["rate-limit-status-code"] = "429";
  }
  if (ingress.cors) {
    Object.assign(a, {
      "cors-enable": "true",
      "cors-allow-origin": haproxyOrigin(ingress.cors.allowOrigins),
      "cors-allow-credentials": String(ingress.cors.allowCredentials),
      "cors-allow-methods": ingress.cors.allowMethods.join(", "),
      "cors-allow-headers": ingress.cors.allowHeaders.join(", "),
      "cors-max-age": secondsText(ingress.cors.maxAgeSeconds),
    });
  }
  return Object.fromEntries(Object.entries(a).map(([k, v]) => [`${prefix}${k}`, v]));
}

/** The HAProxy Technologies Kubernetes Ingress Controller. */
export const haproxyController: IngressController = {
  name: "haproxy",
  features: {
    apis: ["native"],
    sessionAffinity: ["native"],
    rateLimit: ["native"],
    // pod-maxconn caps a pod, not a client: no per-client connection limit exists on Ingress.
    maxConnectionsPerClient: [],
    cors: ["native"],
    // The 3.2 Ingress annotations match no request header (route-acl is ConfigMap/Service-only, snippets are off).
    originAtEdge: [],
    originAtEdgeGap: "no HAProxy 3.2 Ingress annotation matches a request header (route-acl is not an Ingress annotation, and config snippets stay off)",
  },

  install(name: string, cluster: ClusterSettings, opts: pulumi.ComponentResourceOptions): InstalledController {
    const podLabels = { "app.kubernetes.io/name": "kubernetes-ingress", "app.kubernetes.io/instance": releaseName };
    const spec = { controller: "haproxy", namespace: haproxyNamespace(cluster), className: haproxyClassName(cluster), pin: charts.haproxyKubernetesIngress, releaseName, values: haproxyValues(cluster), podLabels, service: haproxyController.controllerService(cluster)! } as const;
    // The chart installs the controller's CRDs from a hook Job.
    return installIngressApiController(name, cluster, { ...spec, waitForJobs: true }, opts);
  },

  controllerService(settings: ControllerLocation): ControllerServiceRef {
    // The chart names its Service after the release.
    return { name: releaseName, namespace: haproxyNamespace(settings), httpPort: 80, httpsPort: 443 };
  },

  // haproxytech kubernetes-ingress documentation/secondary-config.md: the generated haproxy.cfg lives in /etc/haproxy.
  configCommands(pods: ControllerPods): string[] {
    return [`kubectl exec -n ${pods.namespace} ${firstPod(pods)} -- cat /etc/haproxy/haproxy.cfg`];
  },

  route(inputs: RouteInputs, opts: pulumi.ComponentResourceOptions): pulumi.Resource[] {
    return ingressApiRoute(inputs, haproxyAnnotations(inputs.settings), opts);
  },

  acmeHttp01Solver: ingressHttp01Solver,

  timeoutsOnPath(cluster: ClusterSettings): PathTimeout[] {
    const ours = haproxyValues(cluster);
    // Once upgraded, a WebSocket is a tunnel: timeout-tunnel supersedes the client and server timeouts. A bare number is milliseconds.
    return [chartTimeout(cluster, ours, ["controller", "config", "timeout-tunnel"], "HAProxy timeout-tunnel", "ms")];
  },
};
