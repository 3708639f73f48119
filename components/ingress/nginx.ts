import * as pulumi from "@pulumi/pulumi";
import { charts } from "../charts";
import { ClusterSettings } from "../cluster/clusterSettings";
import { PlatformSettings } from "../config/schema/platform";
import { exitMarginSeconds } from "../app/timings";
import { affinityCookieName, chartTimeout, originList } from "./routeCommon";
import { ingressApiRoute, ingressHttp01Solver, installIngressApiController } from "./kubernetesIngress";
import { ControllerLocation, ControllerServiceRef, IngressController, InstalledController, PathTimeout, RouteInputs } from "./types";
import { ControllerPods, firstPod } from "./controllerPods";

const releaseName = "ingress-nginx";
const prefix = "nginx.ingress.kubernetes.io/";

/** NGINX's proxy_connect_timeout "cannot usually exceed 75 seconds" (ingress-nginx configmap.md). */
export const nginxMaxConnectTimeoutSeconds = 75;

export function nginxNamespace(settings: { ingress: { namespace?: string } }): string {
  return settings.ingress.namespace ?? "ingress-nginx";
}

export function nginxClassName(settings: { ingress: { className?: string } }): string {
  return settings.ingress.className ?? "nginx";
}

/** Chart values for kubernetes/ingress-nginx 4.15.1: WebSocket-long timeouts globally, no snippets, metrics, HA outside dev. */
export function nginxValues(cluster: ClusterSettings): Record<string, unknown> {
  const lifetime = cluster.ingress.connectionLifetimeSeconds;
  const replicas = cluster.ingress.replicas;
  const className = nginxClassName(cluster);
  const preStop = cluster.ingress.preStopSeconds;
  const drain = cluster.ingress.drainSeconds;
  const monitoring = cluster.monitoring;
  return {
    controller: {
      ingressClass: className,
      ingressClassResource: { name: className, enabled: true, default: false },
      // Guide correction: no server-snippet; snippets are risk "Critical" (arbitrary NGINX config), off since 1.9.
      allowSnippetAnnotations: false,
      replicaCount: replicas,
      // The chart renders its PodDisruptionBudget whenever replicaCount > 1.
      minAvailable: 1,
      // The chart's preStop (/wait-shutdown) signals the controller; it keeps serving for --shutdown-grace-period while load
      // balancers take the pod out, then NGINX quits gracefully; the grace period ends the drain.
      extraArgs: { "shutdown-grace-period": String(preStop) },
      terminationGracePeriodSeconds: preStop + drain + exitMarginSeconds,
      metrics: {
        enabled: true,
        ...(monitoring.enabled ? { serviceMonitor: { enabled: true, additionalLabels: monitoring.prometheusLabels } } : {}),
      },
      // Guide correction: the chart's controller.config, not a loose ConfigMap with deprecated http2-max-* keys.
      config: {
        // Idle limits of an upgraded connection: NGINX closes a WebSocket silent for longer than these.
        "proxy-read-timeout": String(lifetime),
        "proxy-send-timeout": String(lifetime),
        // Guide correction: the guide's 3600 s connect timeout exceeds NGINX's 75 s cap; read/send carry the lifetime.
        "proxy-connect-timeout": String(cluster.ingress.connectTimeoutSeconds),
        "proxy-buffering": "off",
        "proxy-request-buffering": "off",
        "upstream-keepalive-connections": "320",
        "upstream-keepalive-timeout": "60",
        "upstream-keepalive-requests": "10000",
        // A reload keeps old workers (and their WebSockets) until this, instead of cutting them after the default 240 s;
        // it also never ends a stopping pod's drain before the grace period does.
        "worker-shutdown-timeout": `${Math.max(lifetime, drain)}s`,
        "annotations-risk-level": "High",
        hsts: cluster.tls.enabled ? "true" : "false",
        // From tls.hsts (ingress-nginx's own default would add includeSubDomains).
        "hsts-max-age": String(cluster.tls.hsts.maxAgeSeconds),
        "hsts-include-subdomains": String(cluster.tls.hsts.includeSubDomains),
      },
    },
  };
}

/** The Ingress annotations: only names in ingress-nginx's annotation catalogue. Never upstream-hash-by (it overrides cookie affinity). */
export function nginxAnnotations(settings: PlatformSettings, upstreamToServiceAddress: boolean): Record<string, string> {
  const { ingress, app, tls } = settings;
  const lifetime = String(app.connectionLifetimeSeconds);
  const a: Record<string, string> = {
    "proxy-read-timeout": lifetime,
    "proxy-send-timeout": lifetime,
    "proxy-connect-timeout": String(ingress.connectTimeoutSeconds),
    "proxy-buffering": "off",
    "proxy-request-buffering": "off",
  };
  if (tls.enabled) a["ssl-redirect"] = "true";
  // The app's mesh applies mTLS and its traffic policy only to traffic addressed to the Service, not to pod IPs.
  if (upstreamToServiceAddress) a["service-upstream"] = "true";
  if (ingress.sessionAffinity) {
    Object.assign(a, {
      // Guide correction: cookie affinity only; the guide's upstream-hash-by $remote_addr would override it.
      affinity: "cookie",
      // persistent: a reconnect keeps its pod even after scaling (balanced would move it).
      "affinity-mode": "persistent",
      "session-cookie-name": affinityCookieName,
      "session-cookie-path": "/",
      "session-cookie-max-age": lifetime,
      "session-cookie-samesite": "Lax",
      "session-cookie-secure": tls.enabled ? "true" : "false",
    });
  }
  if (ingress.rateLimit) {
    a["limit-rps"] = String(ingress.rateLimit.requestsPerSecond);
    // ingress-nginx expresses the burst as a multiple of the rate.
    if (ingress.rateLimit.burst !== undefined) {
      a["limit-burst-multiplier"] = String(Math.max(1, Math.ceil(ingress.rateLimit.burst / ingress.rateLimit.requestsPerSecond)));
    }
  }
  if (ingress.maxConnectionsPerClient !== undefined) a["limit-connections"] = String(ingress.maxConnectionsPerClient);
  if (ingress.cors) {
    Object.assign(a, {
      "enable-cors": "true",
      "cors-allow-origin": originList(ingress.cors.allowOrigins),
      // Upstream's default is true: say false unless asked.
      "cors-allow-credentials": String(ingress.cors.allowCredentials),
      "cors-allow-methods": ingress.cors.allowMethods.join(", "),
      "cors-allow-headers": ingress.cors.allowHeaders.join(", "),
      "cors-max-age": String(ingress.cors.maxAgeSeconds),
    });
  }
  return Object.fromEntries(Object.entries(a).map(([k, v]) => [`${prefix}${k}`, v]));
}

/** kubernetes/ingress-nginx: retired upstream in March 2026, kept for existing platforms; see the migration note. */
export const nginxController: IngressController = {
  name: "nginx",
  features: {
    apis: ["native"],
    sessionAffinity: ["native"],
    rateLimit: ["native"],
    maxConnectionsPerClient: ["native"],
    cors: ["native"],
    // Only a configuration snippet could refuse by header on ingress-nginx, and snippets stay off.
    originAtEdge: [],
    originAtEdgeGap: "only a configuration snippet could refuse a request by its Origin header, and snippets stay off",
    maxConnectTimeoutSeconds: nginxMaxConnectTimeoutSeconds,
    upstreamToServiceAddress: true,
  },

  install(name: string, cluster: ClusterSettings, opts: pulumi.ComponentResourceOptions): InstalledController {
    const podLabels = { "app.kubernetes.io/name": "ingress-nginx", "app.kubernetes.io/instance": releaseName, "app.kubernetes.io/component": "controller" };
    const spec = { controller: "nginx", namespace: nginxNamespace(cluster), className: nginxClassName(cluster), pin: charts.ingressNginx, releaseName, values: nginxValues(cluster), podLabels, service: nginxController.controllerService(cluster)! } as const;
    return installIngressApiController(name, cluster, spec, opts);
  },

  controllerService(settings: ControllerLocation): ControllerServiceRef {
    // The chart names its Service "<release>-controller".
    return { name: `${releaseName}-controller`, namespace: nginxNamespace(settings), httpPort: 80, httpsPort: 443 };
  },

  // ingress-nginx docs/troubleshooting.md: the generated nginx.conf and the dynamically loaded backends (`/dbg`).
  configCommands(pods: ControllerPods): string[] {
    return [`kubectl exec -n ${pods.namespace} ${firstPod(pods)} -- cat /etc/nginx/nginx.conf`, `kubectl exec -n ${pods.namespace} ${firstPod(pods)} -- /dbg backends list`];
  },

  route(inputs: RouteInputs, opts: pulumi.ComponentResourceOptions): pulumi.Resource[] {
    return ingressApiRoute(inputs, nginxAnnotations(inputs.settings, inputs.meshNeedsServiceAddress), opts);
  },

  acmeHttp01Solver: ingressHttp01Solver,

  timeoutsOnPath(cluster: ClusterSettings): PathTimeout[] {
    const ours = nginxValues(cluster);
    // The route's own proxy-read/send-timeout annotations (from the lifetime) override the global ones; the reload drain does not.
    return [chartTimeout(cluster, ours, ["controller", "config", "worker-shutdown-timeout"], "NGINX worker-shutdown-timeout", "s")];
  },
};
