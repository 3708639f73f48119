import { IngressControllerName } from "../config/schema/ingress";
import { istioController } from "./istio";
import { haproxyController } from "./haproxy";
import { nginxController } from "./nginx";
import { nginxGatewayFabricController } from "./nginx-gateway-fabric";
import { traefikController } from "./traefik";
import { IngressController } from "./types";

/** Config value → controller strategy. Adding a controller is one file and one line here. */
export const ingressControllers: Record<IngressControllerName, IngressController> = {
  istio: istioController,
  nginx: nginxController,
  traefik: traefikController,
  haproxy: haproxyController,
  "nginx-gateway-fabric": nginxGatewayFabricController,
};

/** The route is a Gateway API HTTPRoute: ingress.api gateway, or a controller whose own API is Gateway API. */
export function routeIsGatewayApi({ ingress }: { ingress: { api: string; controller: IngressControllerName } }): boolean {
  return ingress.api === "gateway" || ingressControllers[ingress.controller]?.features.nativeApiIsGateway === true;
}
