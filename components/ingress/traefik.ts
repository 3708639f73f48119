import type { IIngressRoute } from "@kubernetes-models/traefik/traefik.io/v1alpha1/IngressRoute" with { "resolution-mode": "import" };
import type { IMiddleware } from "@kubernetes-models/traefik/traefik.io/v1alpha1/Middleware" with { "resolution-mode": "import" };
import type { IServersTransport } from "@kubernetes-models/traefik/traefik.io/v1alpha1/ServersTransport" with { "resolution-mode": "import" };
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { charts } from "../charts";
import { ClusterSettings } from "../cluster/clusterSettings";
import { PlatformSettings } from "../config/schema/platform";
import { KnownHosts, onceHostsKnown } from "../config/knownHosts";
import { exitMarginSeconds } from "../app/timings";
import { IngressControllerRelease, controllerNamespaceEnrolment } from "./controllerRelease";
import { anyOrigin } from "../app/origin";
import { originPolicyOf } from "./allowedOrigins";
import { secondsText } from "./durations";
import { gatewayHttp01Solver, gatewayRef, gatewayRouteObjects } from "./gatewayRoute";
import { WebSocketRoute, affinityCookieName, chartTimeout, routeLabels, routeObjectName, userValues } from "./routeCommon";
import { ingressHttp01Solver } from "./kubernetesIngress";
import { solverNetworkPolicy } from "./acmeSolverAccess";
import { ControllerInstall, ControllerLocation, ControllerServiceRef, IngressController, InstalledController, PathTimeout, RouteInputs } from "./types";

const releaseName = "traefik";
// Guide correction: traefik.io, not the guide's traefik.containo.us (removed in Traefik v3).
const traefikApiVersion = "traefik.io/v1alpha1";
/** Container ports of the chart's web and websecure entry points (Gateway listeners must use these). */
const entryPointPorts = { http: 8000, https: 8443 };

/** The chart's instance label (`traefik.instance-name`): "<release>-<namespace>", cut to 63 characters, no trailing "-". */
export function traefikInstanceLabel(namespace: string): string {
  return `${releaseName}-${namespace}`.slice(0, 63).replace(/-+$/, "");
}

export function traefikNamespace(settings: { ingress: { namespace?: string } }): string {
  return settings.ingress.namespace ?? "traefik";
}

export function traefikClassName(settings: { ingress: { className?: string } }): string {
  return settings.ingress.className ?? "traefik";
}

function usesGatewayApi(settings: { ingress: { api: string } }): boolean {
  return settings.ingress.api === "gateway";
}

/** Entry-point timeouts: Traefik v3 defaults readTimeout to 60 s, and that deadline outlives the upgrade, cutting every WebSocket at 60 s. */
function respondingTimeouts(cluster: ClusterSettings): Record<string, string> {
  const lifetime = secondsText(cluster.ingress.connectionLifetimeSeconds);
  return { readTimeout: lifetime, writeTimeout: lifetime, idleTimeout: "180s" };
}

/** Chart values for traefik/traefik 41.3.0 (Traefik v3.7); every key is in the chart's strict values.schema.json. */
export function traefikValues(cluster: ClusterSettings): Record<string, unknown> {
  const replicas = cluster.ingress.replicas;
  const gateway = usesGatewayApi(cluster);
  const className = traefikClassName(cluster);
  const preStop = cluster.ingress.preStopSeconds;
  const drain = cluster.ingress.drainSeconds;
  const monitoring = cluster.monitoring;
  // On SIGTERM an entry point keeps accepting (ping answers 503) while load balancers take the pod out, then gives open connections the drain.
  const lifeCycle = { requestAcceptGraceTimeout: secondsText(preStop), graceTimeOut: secondsText(drain) };
  const transport = { respondingTimeouts: respondingTimeouts(cluster), lifeCycle };
  return {
    deployment: { replicas, terminationGracePeriodSeconds: preStop + drain + exitMarginSeconds },
    podDisruptionBudget: replicas > 1 ? { enabled: true, maxUnavailable: 1 } : { enabled: false },
    // The chart makes its IngressClass the cluster default unless told otherwise.
    ingressClass: { enabled: true, isDefaultClass: false, name: className },
    providers: {
      kubernetesCRD: { enabled: true, allowCrossNamespace: false },
      // cert-manager's HTTP-01 solver is an Ingress of this class.
      kubernetesIngress: { enabled: true },
      kubernetesGateway: { enabled: gateway },
    },
    gatewayClass: { enabled: gateway, name: className },
    // We render our own Gateway next to the route (listeners, TLS), not the chart's default one.
    gateway: { enabled: false },
    ports: {
      web: { transport },
      websecure: { transport },
    },
    // The metrics port is not on the public Service: the ServiceMonitor needs the chart's dedicated metrics Service.
    ...(monitoring.enabled
      ? { metrics: { prometheus: { service: { enabled: true }, serviceMonitor: { enabled: true, additionalLabels: monitoring.prometheusLabels } } } }
      : {}),
  };
}

/** Traefik's Host() takes no wildcard: *.example.com becomes a HostRegexp for one label. */
export function hostRule(hosts: string[]): string {
  return hosts
    .map((host) =>
      host.startsWith("*.") ? `HostRegexp(\`^[a-z0-9-]+\\.${host.slice(2).replace(/\./g, "\\.")}$\`)` : `Host(\`${host}\`)`,
    )
    .join(" || ");
}

/**
 * The IngressRoute's origin condition: one exact `Header` matcher per allowed origin, and, when native clients are
 * allowed, "no Origin header at all" (`!HeaderRegexp`: `.*` matches any value, even an empty one). Undefined: any
 * origin is allowed, so the edge filters nothing. A request that fails it matches no router: Traefik answers 404.
 */
export function originRule(settings: KnownHosts<PlatformSettings>): string | undefined {
  const policy = originPolicyOf(settings);
  if (policy.allowedOrigins === anyOrigin || policy.allowedOrigins.length === 0) return undefined;
  const terms = policy.allowedOrigins.map((origin) => `Header(\`Origin\`, \`${origin}\`)`);
  if (policy.allowMissingOrigin) terms.push("!HeaderRegexp(`Origin`, `.*`)");
  return terms.join(" || ");
}

/** The app's hosts, and the origin condition when there is one. */
export function appRouteRule(settings: KnownHosts<PlatformSettings>): string {
  const group = (rule: string) => (rule.includes(" || ") ? `(${rule})` : rule);
  const hosts = hostRule(settings.ingress.hosts);
  const origins = originRule(settings);
  return origins === undefined ? hosts : `${group(hosts)} && ${group(origins)}`;
}

/** Traefik compares accessControlAllowOriginList literally: a https://*.domain origin goes to the regex list instead. */
export function traefikOrigins(origins: string[]): { accessControlAllowOriginList?: string[]; accessControlAllowOriginListRegex?: string[] } {
  const isWildcard = (o: string) => o.includes("*.");
  const exact = origins.filter((o) => !isWildcard(o));
  const patterns = origins
    .filter(isWildcard)
    .map((o) => `^${o.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace("*\\.", "[a-z0-9-]+\\.")}$`);
  return {
    ...(exact.length > 0 ? { accessControlAllowOriginList: exact } : {}),
    ...(patterns.length > 0 ? { accessControlAllowOriginListRegex: patterns } : {}),
  };
}

interface NamedMiddleware {
  name: string;
  spec: IMiddleware["spec"];
}

/** The middlewares of the app's route, in order: security headers, CORS, limits, circuit breaker. */
export function traefikMiddlewares(settings: PlatformSettings): NamedMiddleware[] {
  const { ingress, tls } = settings;
  const list: NamedMiddleware[] = [
    {
      name: routeObjectName(settings, "headers"),
      // Guide correction: sslRedirect/sslForceHost were removed in v3; the redirect is a redirectScheme route on "web".
      spec: {
        headers: {
          contentTypeNosniff: true,
          frameDeny: true,
          referrerPolicy: "strict-origin-when-cross-origin",
          ...(tls.enabled ? { stsSeconds: tls.hsts.maxAgeSeconds, stsIncludeSubdomains: tls.hsts.includeSubDomains } : {}),
        },
      },
    },
  ];
  if (ingress.cors) {
    list.push({
      name: routeObjectName(settings, "cors"),
      spec: {
        headers: {
          ...traefikOrigins(ingress.cors.allowOrigins),
          accessControlAllowCredentials: ingress.cors.allowCredentials,
          accessControlAllowMethods: ingress.cors.allowMethods,
          accessControlAllowHeaders: ingress.cors.allowHeaders,
          accessControlMaxAge: ingress.cors.maxAgeSeconds,
          addVaryHeader: true,
        },
      },
    });
  }
  if (ingress.rateLimit) {
    list.push({
      name: routeObjectName(settings, "ratelimit"),
      spec: {
        rateLimit: {
          average: ingress.rateLimit.requestsPerSecond,
          period: "1s",
          ...(ingress.rateLimit.burst !== undefined ? { burst: ingress.rateLimit.burst } : {}),
        },
      },
    });
  }
  if (ingress.maxConnectionsPerClient !== undefined) {
    // A WebSocket is one request in flight for its whole life, so this caps open connections per client IP.
    list.push({ name: routeObjectName(settings, "inflight"), spec: { inFlightReq: { amount: ingress.maxConnectionsPerClient } } });
  }
  list.push({
    name: routeObjectName(settings, "circuit-breaker"),
    spec: {
      circuitBreaker: {
        expression: "NetworkErrorRatio() > 0.30 || ResponseCodeRatio(500, 600, 0, 600) > 0.30",
        checkPeriod: "10s",
        fallbackDuration: "30s",
        recoveryDuration: "30s",
        responseCode: 503,
      },
    },
  });
  return list;
}

// Guide correction: no insecureSkipVerify or serverName (plain-HTTP backend), and the route references it.
/** Dial within the connect timeout; headers within the lifetime; backends verified (never insecureSkipVerify). */
export function serversTransportSpec(settings: PlatformSettings): IServersTransport["spec"] {
  return {
    forwardingTimeouts: {
      dialTimeout: secondsText(settings.ingress.connectTimeoutSeconds),
      responseHeaderTimeout: secondsText(settings.app.connectionLifetimeSeconds),
    },
  };
}

/** The app's IngressRoute on the TLS entry point (web when TLS is off). */
export function ingressRouteSpec(
  settings: KnownHosts<PlatformSettings>,
  serviceName: string,
  servicePort: number,
  middlewares: string[],
  tlsSecretName: string | undefined,
): IIngressRoute["spec"] {
  const tls = tlsSecretName !== undefined;
  return {
    entryPoints: [tls ? "websecure" : "web"],
    routes: [
      {
        kind: "Rule",
        match: appRouteRule(settings),
        // Guide correction: every middleware is attached; the guide defined rate-limit and circuit-breaker unused.
        middlewares: middlewares.map((name) => ({ name })),
        services: [
          {
            kind: "Service",
            name: serviceName,
            port: servicePort,
            serversTransport: routeObjectName(settings, "transport"),
            ...(settings.ingress.sessionAffinity
              ? {
                  // Guide correction: sticky on the Kubernetes service; a one-child weighted TraefikService never pins a pod.
                  sticky: {
                    // A Secure cookie is never sent over plain ws://, so Secure follows TLS.
                    cookie: { name: affinityCookieName, secure: tls, httpOnly: true, sameSite: "lax", maxAge: settings.app.connectionLifetimeSeconds },
                  },
                }
              : {}),
          },
        ],
      },
    ],
    ...(tls ? { tls: { secretName: tlsSecretName } } : {}),
  };
}

/** Plain HTTP on the app's hosts: a permanent redirect to HTTPS for any origin (a handshake never follows it); ACME HTTP-01 paths are longer rules, so they win. */
export function redirectRouteSpec(settings: KnownHosts<PlatformSettings>): IIngressRoute["spec"] {
  return {
    entryPoints: ["web"],
    routes: [
      {
        kind: "Rule",
        match: hostRule(settings.ingress.hosts),
        middlewares: [{ name: routeObjectName(settings, "redirect") }],
        services: [{ kind: "TraefikService", name: "noop@internal" }],
      },
    ],
  };
}

/** Traefik v3 through its own CRDs (traefik.io), or Gateway API through its Gateway provider. */
export const traefikController: IngressController = {
  name: "traefik",
  features: {
    apis: ["native", "gateway"],
    // Gateway API session persistence is experimental and Traefik does not implement it.
    sessionAffinity: ["native"],
    rateLimit: ["native", "gateway"],
    maxConnectionsPerClient: ["native", "gateway"],
    cors: ["native", "gateway"],
    originAtEdge: ["native", "gateway"],
  },

  install(name: string, cluster: ClusterSettings, opts: pulumi.ComponentResourceOptions): InstalledController {
    const namespace = traefikNamespace(cluster);
    const gateway = usesGatewayApi(cluster);
    const common = {
      controller: "traefik" as const,
      className: cluster.ingress.gatewayClassName ?? traefikClassName(cluster),
      namespace,
      podLabels: { "app.kubernetes.io/name": "traefik", "app.kubernetes.io/instance": traefikInstanceLabel(namespace) },
      serviceAccountName: releaseName,
      service: traefikController.controllerService(cluster),
      // Gateway API: each app's Gateway (and so its certificate) lives here; native routes read Secrets in the app's namespace.
      ...(gateway ? { tlsSecretNamespace: namespace } : {}),
      routeApi: gateway ? ("gateway" as const) : ("native" as const),
    };
    // An existing GatewayClass: route through it, install nothing.
    if (gateway && cluster.ingress.gatewayClassName) return { ...common, readyResources: [], foundations: [] };
    const release = new IngressControllerRelease(
      name,
      {
        ...controllerNamespaceEnrolment(cluster),
        namespace,
        pin: charts.traefik,
        releaseName,
        values: traefikValues(cluster),
        userValues: userValues(cluster),
        installGatewayApiCrds: gateway && cluster.ingress.installGatewayApiCrds,
        gatewayApiCrdsUrl: cluster.ingress.gatewayApiCrdsUrl,
      },
      opts,
    );
    return { ...common, readyResources: release.ready, foundations: release.foundations };
  },

  // The chart enables no API endpoint by default, so there is no configuration dump to read.
  configCommands(): string[] {
    return [];
  },

  nativeRouteCommands(appNamespace: string): string[] {
    return [`kubectl get ingressroutes.traefik.io,middlewares.traefik.io,serverstransports.traefik.io -n ${appNamespace} -o yaml`];
  },

  route(inputs: RouteInputs, opts: pulumi.ComponentResourceOptions): pulumi.Resource[] {
    const { settings } = inputs;
    const gateway = inputs.install.routeApi === "gateway";
    const group = new WebSocketRoute(inputs.name, { controller: "traefik", api: gateway ? "gateway" : "native" }, opts);
    const labels = routeLabels(settings);
    const child = { parent: group, dependsOn: inputs.install.readyResources };
    const custom = (suffix: string, kind: string, objectName: string, spec: unknown) =>
      new k8s.apiextensions.CustomResource(
        `${inputs.name}-${suffix}`,
        { apiVersion: traefikApiVersion, kind, metadata: { name: objectName, namespace: inputs.namespace, labels }, spec },
        child,
      );

    const middlewares = traefikMiddlewares(settings);
    for (const m of middlewares) custom(`middleware-${m.name}`, "Middleware", m.name, m.spec);

    if (gateway) {
      // Traefik runs its middlewares on HTTPRoutes through ExtensionRef filters (the headers one carries HSTS).
      gatewayRouteObjects(inputs, group, {
        hstsFilter: false,
        extraFilters: middlewares.map((m) => ({ type: "ExtensionRef", extensionRef: { group: "traefik.io", kind: "Middleware", name: m.name } })),
      });
      return [group];
    }

    // Traefik solves HTTP-01 through a solver Ingress in the app's namespace, under its default deny.
    solverNetworkPolicy(inputs, group);
    custom("serverstransport", "ServersTransport", routeObjectName(settings, "transport"), serversTransportSpec(settings));
    custom(
      "ingressroute",
      "IngressRoute",
      routeObjectName(settings),
      pulumi
        .output(inputs.serviceName)
        .apply((service) =>
          onceHostsKnown(settings, (known) => ingressRouteSpec(known, service, inputs.servicePort, middlewares.map((m) => m.name), inputs.tlsSecretName)),
        ),
    );
    if (inputs.tlsSecretName) {
      const redirect: IMiddleware["spec"] = { redirectScheme: { scheme: "https", permanent: true } };
      custom("middleware-redirect", "Middleware", routeObjectName(settings, "redirect"), redirect);
      custom("ingressroute-redirect", "IngressRoute", routeObjectName(settings, "redirect"), onceHostsKnown(settings, redirectRouteSpec));
    }
    return [group];
  },

  controllerService(settings: ControllerLocation): ControllerServiceRef | undefined {
    // An existing GatewayClass is served by a Traefik installed elsewhere; ours publishes web/websecure on 80/443.
    if (usesGatewayApi(settings) && settings.ingress.gatewayClassName) return undefined;
    return { name: releaseName, namespace: traefikNamespace(settings), httpPort: 80, httpsPort: 443 };
  },

  // Traefik serves every Gateway from the same pods, so a Gateway per app costs no extra data plane.
  appGateway(appName: string, controllerNamespace: string) {
    return gatewayRef(appName, controllerNamespace, entryPointPorts);
  },

  acmeHttp01Solver(install: ControllerInstall): Record<string, unknown> {
    return install.gateway ? gatewayHttp01Solver(install.gateway) : ingressHttp01Solver(install);
  },

  timeoutsOnPath(cluster: ClusterSettings): PathTimeout[] {
    if (cluster.ingress.api === "gateway" && cluster.ingress.gatewayClassName) return [];
    const ours = traefikValues(cluster);
    const entryPoint = cluster.tls.enabled ? "websecure" : "web";
    return ["readTimeout", "writeTimeout"].map((key) =>
      chartTimeout(cluster, ours, ["ports", entryPoint, "transport", "respondingTimeouts", key], `Traefik entry point ${entryPoint} ${key}`, "s", true),
    );
  },
};
