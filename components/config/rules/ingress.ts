import { clusterRules, lifetimeKey } from "../../cluster/clusterRules";
import { clusterSettingsOf } from "../../cluster/fromPlatform";
import { anyOrigin } from "../../app/origin";
import { edgeOrigins, hostOrigins, originPolicyNow } from "../../ingress/allowedOrigins";
import { hostCount, knownHosts } from "../knownHosts";
import { ingressControllers, routeIsGatewayApi } from "../../ingress/registry";
import { ControllerFeatures } from "../../ingress/types";
import { IngressApi } from "../schema/ingress";
import { PlatformSettings } from "../schema/platform";
import { anyOriginConfigKey, isAnyOrigin, wildcardCorsPolicyName } from "./corsOrigins";
import { PlatformRule, PlatformWarning, RuleProblem } from "./types";

type OptionalFeature = "sessionAffinity" | "rateLimit" | "maxConnectionsPerClient" | "cors";

/** Which controllers (and on which API) can do a feature, for the error message. */
function whoCan(select: (features: ControllerFeatures) => IngressApi[]): string {
  const names = Object.values(ingressControllers).flatMap((c) => {
    const apis = select(c!.features);
    if (apis.length === 0) return [];
    return [apis.length === c!.features.apis.length || c!.features.nativeApiIsGateway ? c!.name : `${c!.name} (ingress.api ${apis.join("/")})`];
  });
  return names.length > 0 ? names.join(", ") : "no controller";
}

/** Options a controller cannot do on the chosen API fail at preview, naming the controllers that can. */
const controllerCanDoIt: PlatformRule = (config) => {
  const { ingress } = config;
  const controller = ingressControllers[ingress.controller];
  if (!controller) return [];
  const problems: RuleProblem[] = [];
  const here = controller.features.nativeApiIsGateway ? `${ingress.controller} (Gateway API)` : `${ingress.controller} with ingress.api ${ingress.api}`;
  // An API the controller does not serve is the cluster rules' to report.
  if (!controller.features.apis.includes(ingress.api)) return problems;
  const used: Record<OptionalFeature, boolean> = {
    sessionAffinity: ingress.sessionAffinity,
    rateLimit: ingress.rateLimit !== undefined,
    maxConnectionsPerClient: ingress.maxConnectionsPerClient !== undefined,
    cors: ingress.cors !== undefined,
  };
  for (const feature of Object.keys(used) as OptionalFeature[]) {
    if (used[feature] && !controller.features[feature].includes(ingress.api)) {
      problems.push({
        path: ["ingress", feature],
        given: ingress[feature],
        allowed: `${feature === "sessionAffinity" ? "false" : "nothing"} with ${here}; it works with: ${whoCan((f) => f[feature])}`,
      });
    }
  }
  return problems;
};

/** Browsers refuse credentials with a wildcard origin; allowing both is a misconfiguration, not a choice. */
const corsWildcardWithoutCredentials: PlatformRule = (config) => {
  const cors = config.ingress.cors;
  return cors && cors.allowCredentials && cors.allowOrigins.some(isAnyOrigin)
    ? [
        {
          path: ["ingress", "cors", "allowCredentials"],
          given: true,
          allowed: 'false when ingress.cors.allowOrigins contains "*" (list the origins instead)',
        },
      ]
    : [];
};

/** The cluster half of a one-app platform is checked by the cluster part's own rules; the lifetime is the app's. */
const clusterHalf: PlatformRule = (config) =>
  clusterRules
    .flatMap((rule) => rule(clusterSettingsOf(config)))
    .map((p) => ({
      ...p,
      path: p.path.join(".") === lifetimeKey ? ["app", "connectionLifetimeSeconds"] : p.path,
      allowed: p.allowed.replace(lifetimeKey, "app.connectionLifetimeSeconds"),
    }));

/** An origin of "*" lets any site's script open the socket; it takes an explicit key, as the policy pack does. */
const wildcardOriginAllowedExplicitly: PlatformRule = (config) => {
  const cors = config.ingress.cors;
  if (!cors || cors.allowAnyOrigin) return [];
  return cors.allowOrigins.flatMap((origin, i): RuleProblem[] =>
    isAnyOrigin(origin)
      ? [
          {
            path: ["ingress", "cors", "allowOrigins", i],
            given: origin,
            allowed:
              `an origin such as https://app.example.com; "*" only with ${anyOriginConfigKey}: true ` +
              `(the policy pack's mandatory ${wildcardCorsPolicyName} policy refuses it too unless its enforcementLevel is lowered)`,
          },
        ]
      : [],
  );
};

/** Gateway API routes the app's hosts through one HTTPRoute, whose spec.hostnames takes at most this many (CRD maxItems). */
export const maxGatewayRouteHostnames = 16;


const hostsFitOneHttpRoute: PlatformRule = (config) =>
  routeIsGatewayApi(config) && (hostCount(config.ingress.hosts) ?? 0) > maxGatewayRouteHostnames
    ? [
        {
          path: ["ingress", "hosts"],
          given: config.ingress.hosts,
          allowed: `at most ${maxGatewayRouteHostnames} host names with Gateway API (HTTPRoute spec.hostnames maxItems), or split the hosts over several platforms`,
        },
      ]
    : [];

/** Wildcard hosts name no single origin: with only those, the default list is empty and no page could connect. */
const originsDerivable: PlatformRule = (config) => {
  // Hosts that are an Output are checked when they resolve (WebSocketService).
  const hosts = knownHosts(config.ingress.hosts);
  return hosts !== undefined && config.ingress.allowedOrigins === undefined && !config.ingress.allowMissingOrigin && hostOrigins(hosts, config.tls.enabled).length === 0
    ? [
        {
          path: ["ingress", "allowedOrigins"],
          given: undefined,
          allowed: `the exact origins of the pages that open the socket, e.g. [https://app.example.com]: every ingress.hosts entry (${hosts.join(", ")}) is a wildcard, which names no single origin`,
        },
      ]
    : [];
};

export const ingressRules: PlatformRule[] = [
  originsDerivable,
  clusterHalf,
  controllerCanDoIt,
  corsWildcardWithoutCredentials,
  wildcardOriginAllowedExplicitly,
  hostsFitOneHttpRoute,
];

/** ingress-nginx is retired: say so at every preview, and name the way forward. */
export function retiredNginxWarning(config: PlatformSettings): string[] {
  if (config.ingress.controller !== "nginx") return [];
  return [
    "websocket-platform:ingress.controller is nginx: kubernetes/ingress-nginx was retired in March 2026 (no more releases or security fixes); " +
      "its final chart 4.15.1 is pinned. Move to Gateway API: ingress.controller nginx-gateway-fabric, or traefik with ingress.api gateway " +
      "(README: Migrating from ingress-nginx to Gateway API).",
  ];
}

/** Where the route cannot refuse a foreign Origin itself, say that the app's own check is the only line. */
export function originAtEdgeWarning(config: PlatformSettings): string[] {
  // Undefined: derived from hosts that are an Output, which always name at least one origin (else refused on resolve).
  const policy = originPolicyNow(config);
  if (policy !== undefined && edgeOrigins(policy) === undefined) return [];
  const controller = ingressControllers[config.ingress.controller];
  if (!controller) return [];
  const onlyTheApp =
    "the app's own check (the reference echo server answers 403 before the upgrade, from ALLOWED_ORIGINS) is the only line against cross-site WebSocket hijacking.";
  if (!controller.features.originAtEdge.includes(config.ingress.api)) {
    return [`websocket-platform:ingress.allowedOrigins: ${controller.name} cannot check the Origin header at the edge: ${controller.features.originAtEdgeGap ?? "no route feature for it"}; ${onlyTheApp}`];
  }
  if (routeIsGatewayApi(config) && config.ingress.allowMissingOrigin) {
    return [
      `websocket-platform:ingress.allowMissingOrigin is true: Gateway API (${controller.name}) cannot match a missing header, so the route lets every origin through; ${onlyTheApp}`,
    ];
  }
  return [];
}

/** Any origin outside dev: valid when the socket holds nothing a foreign page could abuse, worth a word at each preview. */
export function anyOriginOutsideDevWarning(config: PlatformSettings): string[] {
  if (config.environment === "dev" || originPolicyNow(config)?.allowedOrigins !== anyOrigin) return [];
  return [`websocket-platform:ingress.allowedOrigins is ["*"] in ${config.environment}: any site's page may open the WebSocket with its visitors' cookies; list the origins instead.`];
}

export const ingressWarnings: PlatformWarning[] = [retiredNginxWarning, originAtEdgeWarning, anyOriginOutsideDevWarning];
