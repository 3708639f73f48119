import { IngressControllerName } from "../config/schema/ingress";
import { istioController } from "./istio";
import { IngressController } from "./types";

/** Config value → controller strategy. Adding a controller is one file and one line here. */
export const ingressControllers: Partial<Record<IngressControllerName, IngressController>> = {
  istio: istioController,
};
