import type { StackValidationPolicy } from "@pulumi/policy";
import { Finding, stackPolicy } from "../lib/define";
import { durationSeconds } from "../lib/durations";
import { configNumber } from "../lib/policyArgs";
import { PolicySubject, at, describe, helmReleases, isKind, metadataOf } from "../lib/resources";
import { routeBackends, serviceKeyOfHost } from "../lib/routes";
import { webSocketServiceKeys } from "../lib/workloads";
import { PolicySettings } from "../settings";

/** ingress-nginx's proxy-read/send-timeout when neither the Ingress nor the controller ConfigMap sets one (docs: 60 s). */
const nginxDefaultSeconds = 60;
/** HAProxy Tech's `timeout-tunnel` default, the timeout of upgraded connections (documentation/annotations.md: 1h). */
const haproxyTunnelDefault = "1h";

function nginxClasses(subjects: PolicySubject[]): Set<string> {
  return new Set(helmReleases(subjects).filter((r) => r.chart === "ingress-nginx").map((r) => at(r.values, "controller", "ingressClassResource", "name") ?? "nginx"));
}

function haproxyClasses(subjects: PolicySubject[]): Set<string> {
  return new Set(helmReleases(subjects).filter((r) => r.chart === "kubernetes-ingress").map((r) => at(r.values, "controller", "ingressClassResource", "name") ?? "haproxy"));
}

/** Read/send timeouts NGINX Gateway Fabric sets on an HTTPRoute: a ProxySettingsPolicy on the route, else on its Gateway. */
function ngfTimeouts(route: PolicySubject, subjects: PolicySubject[]): { read?: unknown; send?: unknown } | undefined {
  const ns = metadataOf(route).namespace ?? "";
  const ngfClasses = new Set(helmReleases(subjects).filter((r) => r.chart === "nginx-gateway-fabric").map((r) => at(r.values, "nginxGateway", "gatewayClassName") ?? "nginx"));
  const gateways: PolicySubject[] = (route.props.spec?.parentRefs ?? [])
    .map((ref: any) => subjects.find((g: PolicySubject) => isKind(g, "gateway.networking.k8s.io", "Gateway") && metadataOf(g).name === ref.name && (metadataOf(g).namespace ?? "") === (ref.namespace ?? ns)))
    .filter((g: PolicySubject | undefined): g is PolicySubject => g !== undefined && ngfClasses.has(g.props.spec?.gatewayClassName));
  if (gateways.length === 0) return undefined;
  const targets = (p: PolicySubject, kind: string, name: string | undefined) => (p.props.spec?.targetRefs ?? []).some((t: any) => t.kind === kind && t.name === name);
  const policies = subjects.filter((p) => isKind(p, "gateway.nginx.org", "ProxySettingsPolicy"));
  const onRoute = policies.find((p) => metadataOf(p).namespace === ns && targets(p, "HTTPRoute", metadataOf(route).name));
  const onGateway = policies.find((p) => gateways.some((g) => metadataOf(p).namespace === metadataOf(g).namespace && targets(p, "Gateway", metadataOf(g).name)));
  return { read: onRoute?.props.spec?.timeout?.read ?? onGateway?.props.spec?.timeout?.read, send: onRoute?.props.spec?.timeout?.send ?? onGateway?.props.spec?.timeout?.send };
}

function ingressClass(ingress: PolicySubject): string | undefined {
  return ingress.props.spec?.ingressClassName ?? metadataOf(ingress).annotations["kubernetes.io/ingress.class"];
}

/** Every timeout on the way of a WebSocket connection shorter than its configured lifetime, as messages. */
export function timeoutFindings(subjects: PolicySubject[], lifetime: number): Finding[] {
  const findings: Finding[] = [];
  const wsServices = webSocketServiceKeys(subjects);
  const backends = routeBackends(subjects).filter((b) => wsServices.has(b.service));
  const short = (subject: PolicySubject, what: string, seconds: number, fix: string) =>
    findings.push({
      subject,
      message: `${describe(subject)}: ${what} is ${seconds}s, shorter than the ${lifetime}s a WebSocket connection may live (app.connectionLifetimeSeconds); ${fix}.`,
    });
  const tooShort = (seconds: number | undefined) => seconds !== undefined && seconds > 0 && seconds < lifetime;

  const releases = helmReleases(subjects);
  const nginx = nginxClasses(subjects);
  const haproxy = haproxyClasses(subjects);
  const nginxConfig = releases.filter((r) => r.chart === "ingress-nginx").map((r) => at(r.values, "controller", "config") ?? {});
  const routes = [...new Set(backends.map((b) => b.route))];

  for (const route of routes) {
    const annotations = metadataOf(route).annotations;
    if (isKind(route, "networking.k8s.io", "Ingress")) {
      const cls = ingressClass(route);
      const isNginx = (cls !== undefined && nginx.has(cls)) || Object.keys(annotations).some((a) => a.startsWith("nginx.ingress.kubernetes.io/"));
      if (isNginx) {
        for (const key of ["proxy-read-timeout", "proxy-send-timeout"]) {
          const fromAnnotation = durationSeconds(annotations[`nginx.ingress.kubernetes.io/${key}`], "s");
          const fromController = nginxConfig.map((c) => durationSeconds(c[key], "s")).find((v) => v !== undefined);
          const seconds = fromAnnotation ?? fromController ?? nginxDefaultSeconds;
          const source = fromAnnotation !== undefined ? "annotation" : fromController !== undefined ? "controller.config" : "ingress-nginx default";
          if (tooShort(seconds)) short(route, `nginx ${key} (${source})`, seconds, `set nginx.ingress.kubernetes.io/${key} to at least ${lifetime}`);
        }
      }
      const isHaproxy = (cls !== undefined && haproxy.has(cls)) || Object.keys(annotations).some((a) => a.startsWith("haproxy.org/"));
      if (isHaproxy) {
        for (const release of releases.filter((r) => r.chart === "kubernetes-ingress")) {
          const seconds = durationSeconds(at(release.values, "controller", "config", "timeout-tunnel") ?? haproxyTunnelDefault, "ms");
          if (tooShort(seconds)) short(route, `HAProxy timeout-tunnel of release ${release.subject.name}`, seconds!, `set controller.config.timeout-tunnel to at least ${lifetime}s`);
        }
      }
    }
    if (isKind(route, "gateway.networking.k8s.io", "HTTPRoute")) {
      const ngf = ngfTimeouts(route, subjects);
      for (const [key, value] of Object.entries(ngf ?? {})) {
        const seconds = durationSeconds(value, "s") ?? nginxDefaultSeconds;
        const source = value === undefined ? "NGINX default" : "ProxySettingsPolicy";
        if (tooShort(seconds)) short(route, `NGINX Gateway Fabric proxy ${key} timeout (${source})`, seconds, `target it with a gateway.nginx.org ProxySettingsPolicy whose spec.timeout.${key} is at least ${lifetime}s`);
      }
      (route.props.spec?.rules ?? []).forEach((rule: any, i: number) => {
        for (const key of ["request", "backendRequest"]) {
          const seconds = durationSeconds(rule.timeouts?.[key], "s");
          if (tooShort(seconds)) short(route, `rules[${i}].timeouts.${key}`, seconds!, `raise it to at least ${lifetime}s or 0s (no timeout)`);
        }
      });
    }
    if (isKind(route, "networking.istio.io", "VirtualService")) {
      (route.props.spec?.http ?? []).forEach((http: any, i: number) => {
        const seconds = durationSeconds(http.timeout, "s");
        if (tooShort(seconds)) short(route, `http[${i}].timeout`, seconds!, `raise it to at least ${lifetime}s or 0s (no timeout)`);
      });
    }
  }

  // Traefik: the entry point's writeTimeout sticks to an upgraded connection (Go never clears it on hijack).
  if (backends.length > 0) {
    for (const release of releases.filter((r) => r.chart === "traefik")) {
      for (const [port, entry] of Object.entries((release.values.ports ?? {}) as Record<string, any>)) {
        const seconds = durationSeconds(at(entry, "transport", "respondingTimeouts", "writeTimeout"), "s");
        if (tooShort(seconds)) short(release.subject, `Traefik entry point ${port} writeTimeout`, seconds!, `set ports.${port}.transport.respondingTimeouts.writeTimeout to 0 or at least ${lifetime}s`);
      }
      for (const arg of (release.values.additionalArguments ?? []) as string[]) {
        const m = /^--entry[pP]oints\.([^.]+)\.transport\.respondingTimeouts\.writeTimeout=(.+)$/.exec(String(arg));
        const seconds = m ? durationSeconds(m[2], "s") : undefined;
        if (m && tooShort(seconds)) short(release.subject, `Traefik entry point ${m[1]} writeTimeout (additionalArguments)`, seconds!, `set it to 0 or at least ${lifetime}s`);
      }
    }
  }

  // Istio DestinationRules of WebSocket Services: connection duration and idle timeouts.
  for (const rule of subjects.filter((s) => isKind(s, "networking.istio.io", "DestinationRule"))) {
    const host = rule.props.spec?.host;
    if (typeof host !== "string" || !wsServices.has(serviceKeyOfHost(host, metadataOf(rule).namespace ?? ""))) continue;
    const policies = [rule.props.spec?.trafficPolicy, ...(rule.props.spec?.trafficPolicy?.portLevelSettings ?? [])];
    for (const tp of policies) {
      for (const [path, value] of [
        ["connectionPool.tcp.maxConnectionDuration", at(tp, "connectionPool", "tcp", "maxConnectionDuration")],
        ["connectionPool.tcp.idleTimeout", at(tp, "connectionPool", "tcp", "idleTimeout")],
        ["connectionPool.http.idleTimeout", at(tp, "connectionPool", "http", "idleTimeout")],
      ] as const) {
        const seconds = durationSeconds(value, "s");
        if (tooShort(seconds)) short(rule, `trafficPolicy ${path}`, seconds!, `raise it to at least ${lifetime}s`);
      }
    }
  }
  return findings;
}

export function routeTimeoutsPolicy(settings: PolicySettings): StackValidationPolicy {
  return stackPolicy(
    {
      name: "websocket-route-timeouts",
      description: "Every timeout on the path of a WebSocket route (controller, route, mesh) is at least the configured connection lifetime.",
      enforcementLevel: "mandatory",
      configSchema: { properties: { connectionLifetimeSeconds: { type: "integer", minimum: 1 } } },
    },
    (subjects, args) => timeoutFindings(subjects, configNumber(args, "connectionLifetimeSeconds", settings.connectionLifetimeSeconds)),
  );
}
