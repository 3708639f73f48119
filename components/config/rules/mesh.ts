import { affinityCookieName } from "../schema/common";
import { istioSettings } from "../schema/mesh";
import { ingressControllers } from "../../ingress/registry";
import { meshOf } from "../../mesh/registry";
import { PlatformRule, PlatformWarning, RuleProblem } from "./types";

/** Combinations of mesh, controller and NetworkPolicy settings that cannot work, found at preview. */
const meshCombinations: PlatformRule = (config) => {
  const problems: RuleProblem[] = [];
  const { provider, istio, linkerd } = config.mesh;
  const istioGateway = config.ingress.controller === "istio";

  if (istioGateway && provider === "linkerd") {
    problems.push({
      path: ["mesh", "provider"],
      given: provider,
      allowed: '"istio" or "none" with ingress.controller istio (the Istio gateway is an Istio proxy; it cannot hold a Linkerd identity)',
    });
  }
  if (linkerd !== undefined && provider !== "linkerd") {
    problems.push({ path: ["mesh", "linkerd"], given: linkerd, allowed: "mesh.linkerd only with mesh.provider linkerd" });
  }
  if (istio !== undefined && provider !== "istio" && !istioGateway) {
    problems.push({ path: ["mesh", "istio"], given: istio, allowed: "mesh.istio only with mesh.provider istio or ingress.controller istio" });
  }
  if (istio?.proxyResources !== undefined) {
    if (provider !== "istio") {
      problems.push({
        path: ["mesh", "istio", "proxyResources"],
        given: istio.proxyResources,
        allowed: "sidecar resources only with mesh.provider istio (the gateway sizes its own proxy)",
      });
    } else if (istio.mode === "ambient") {
      problems.push({
        path: ["mesh", "istio", "proxyResources"],
        given: istio.proxyResources,
        allowed: "nothing in ambient mode (no per-pod sidecar; ztunnel is sized at install), or mesh.istio.mode sidecar",
      });
    }
  }
  if (istioGateway && istio?.gateway.namespace === config.namespace) {
    problems.push({
      path: ["mesh", "istio", "gateway", "namespace"],
      given: istio.gateway.namespace,
      allowed: `a namespace other than the app's (${config.namespace}): the app namespace is default-deny and Pod Security restricted`,
    });
  }
  return problems;
};

/** Behind an Istio mesh, the controller and the mesh pin a client to a pod the same way, or neither does. */
const oneSessionAffinity: PlatformRule = (config) => {
  if (config.mesh.provider !== "istio" || config.ingress.controller === "istio") return [];
  const { sessionAffinity, cookieName } = istioSettings(config.mesh).loadBalancing;
  if (sessionAffinity !== config.ingress.sessionAffinity) {
    return [
      {
        path: ["mesh", "istio", "loadBalancing", "sessionAffinity"],
        given: sessionAffinity,
        allowed: `${config.ingress.sessionAffinity}, as ingress.sessionAffinity: the controller and the mesh must pin a client to a pod the same way, or neither`,
      },
    ];
  }
  return sessionAffinity && cookieName !== affinityCookieName
    ? [{ path: ["mesh", "istio", "loadBalancing", "cookieName"], given: cookieName, allowed: `"${affinityCookieName}", the cookie the ingress controller sets` }]
    : [];
};

export const meshRules: PlatformRule[] = [meshCombinations, oneSessionAffinity];

/** Istio sidecars give mTLS only to Service destinations; controllers that pick pod IPs themselves need to send to the Service. */
const sidecarBehindOtherController: PlatformWarning = (config) => {
  const features = ingressControllers[config.ingress.controller]?.features;
  // Controllers that can send to the Service are told to (ingress-nginx's service-upstream); the mesh's own gateway is a proxy already.
  const routesToService = features?.upstreamToServiceAddress === true || features?.meshProxy === config.mesh.provider;
  return meshOf(config).needsServiceAddress(config.mesh) && !routesToService
    ? [
        `mesh.provider istio (sidecar) with ingress.controller ${config.ingress.controller}: the app's port is mTLS STRICT, and a sidecar ` +
          "only originates mTLS for traffic addressed to the Service, so the controller must route to the Service (not to pod IPs) " +
          "once its namespace is injected; mesh.istio.mode ambient has no such limit.",
      ]
    : [];
};

/** Client identities come from a mesh; without one they admit nobody and change nothing. */
const clientsWithoutMesh: PlatformWarning = (config) =>
  config.mesh.provider === "none" && config.mesh.clients.length > 0
    ? ["mesh.clients is ignored with mesh.provider none: client identities come from the mesh (NetworkPolicies still admit only the controller)."]
    : [];

export const meshWarnings: PlatformWarning[] = [sidecarBehindOtherController, clientsWithoutMesh];
