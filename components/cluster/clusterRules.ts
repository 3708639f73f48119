import { RuleProblem } from "../config/rules/types";
import { ingressControllers, routeIsGatewayApi } from "../ingress/registry";
import { ClusterRule } from "./clusterSettings";

/** The controller serves the chosen route API. */
const apiServed: ClusterRule = ({ ingress }) => {
  const controller = ingressControllers[ingress.controller];
  if (controller.features.apis.includes(ingress.api)) return [];
  const gatewayControllers = Object.values(ingressControllers)
    .filter((c) => c.features.apis.includes("gateway"))
    .map((c) => (c.features.nativeApiIsGateway ? c.name : `${c.name} (ingress.api gateway)`));
  return [
    {
      path: ["ingress", "api"],
      given: ingress.api,
      allowed: `${controller.features.apis.join(" or ")} for ${ingress.controller}; gateway works with: ${gatewayControllers.join(", ")}`,
    },
  ];
};

/** An existing GatewayClass only means something for a Gateway API route. */
const gatewayClassNeedsGatewayApi: ClusterRule = ({ ingress }) => {
  const usesGateway = routeIsGatewayApi({ ingress });
  return ingress.gatewayClassName !== undefined && !usesGateway
    ? [{ path: ["ingress", "gatewayClassName"], given: ingress.gatewayClassName, allowed: "only with ingress.api gateway (or ingress.controller nginx-gateway-fabric)" }]
    : [];
};

/** A CRD mirror only means something where the CRDs are installed: otherwise it would be a silent no-op. */
const gatewayApiCrdsUrlUsed: ClusterRule = ({ ingress }) => {
  const usesGateway = routeIsGatewayApi({ ingress });
  const installs = usesGateway && ingress.installGatewayApiCrds && ingress.gatewayClassName === undefined;
  return ingress.gatewayApiCrdsUrl !== undefined && !installs
    ? [{ path: ["ingress", "gatewayApiCrdsUrl"], given: ingress.gatewayApiCrdsUrl, allowed: "only where the Gateway API CRDs are installed (ingress.api gateway or nginx-gateway-fabric, installGatewayApiCrds true, no gatewayClassName)" }]
    : [];
};

/** Outside dev a controller we install runs at least two data-plane pods, with a disruption budget. */
const replicasOutsideDev: ClusterRule = ({ environment, ingress }) => {
  const usesGateway = routeIsGatewayApi({ ingress });
  const installs = !(usesGateway && ingress.gatewayClassName !== undefined);
  return installs && environment !== "dev" && ingress.replicas < 2
    ? [{ path: ["ingress", "replicas"], given: ingress.replicas, allowed: `at least 2 in ${environment} (with a PodDisruptionBudget)` }]
    : [];
};

/** NGINX caps proxy_connect_timeout. */
const connectTimeoutWithinCap: ClusterRule = ({ ingress }) => {
  const max = ingressControllers[ingress.controller].features.maxConnectTimeoutSeconds;
  return max !== undefined && ingress.connectTimeoutSeconds > max
    ? [{ path: ["ingress", "connectTimeoutSeconds"], given: ingress.connectTimeoutSeconds, allowed: `at most ${max} with ${ingress.controller} (NGINX's proxy_connect_timeout cannot exceed ${max} s)` }]
    : [];
};

/** Every timeout on the WebSocket's path (after `ingress.values` are merged) is at least the connection lifetime. */
const timeoutsCoverLifetime: ClusterRule = (cluster) => {
  const controller = ingressControllers[cluster.ingress.controller];
  if (!controller.features.apis.includes(cluster.ingress.api)) return [];
  const lifetime = cluster.ingress.connectionLifetimeSeconds;
  return controller.timeoutsOnPath(cluster).flatMap((t): RuleProblem[] => {
    if (t.seconds === undefined) return [{ path: t.path, given: t.given, allowed: `a duration such as ${lifetime}s (${t.what})` }];
    if (t.seconds < lifetime) {
      return [{ path: t.path, given: t.given, allowed: `${t.what} of at least ${lifetimeKey} (${lifetime} s), or WebSockets are cut early` }];
    }
    return [];
  });
};

/** Checks only the chosen controller needs, from its strategy. */
const controllerOwnRules: ClusterRule = (cluster) => ingressControllers[cluster.ingress.controller].rules?.(cluster) ?? [];

/** The key the lifetime is set by, named in the timeouts rule (WebSocketPlatform names its app's key instead). */
export const lifetimeKey = "ingress.connectionLifetimeSeconds";

/** Every check of a cluster part's settings; WebSocketPlatform runs them too, on the cluster half of its config. */
export const clusterRules: ClusterRule[] = [apiServed, gatewayClassNeedsGatewayApi, gatewayApiCrdsUrlUsed, replicasOutsideDev, connectTimeoutWithinCap, timeoutsCoverLifetime, controllerOwnRules];
