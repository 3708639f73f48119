import { z } from "zod";
import { EnvironmentDefaults } from "../environment";
import { SameShape, hostName } from "./common";

/** Ingress controllers a platform can install and route through (one strategy file each under components/ingress/). */
export const IngressControllerName = {
  nginx: "nginx",
  traefik: "traefik",
  haproxy: "haproxy",
  nginxGatewayFabric: "nginx-gateway-fabric",
  istio: "istio",
} as const;
export type IngressControllerName = (typeof IngressControllerName)[keyof typeof IngressControllerName];

/** Arguments of the ingress part: `ingress` in stack config. */
export interface IngressArgs {
  /** Which controller receives the WebSocket traffic. */
  controller?: IngressControllerName;
  /** Public host names the app answers on. */
  hosts: string[];
}

export const ingressSchema = z.strictObject({
  controller: z.enum(IngressControllerName).default("traefik").describe("Ingress controller: nginx, traefik, haproxy, nginx-gateway-fabric or istio."),
  hosts: z.array(hostName).min(1).describe("Public host names of the app, e.g. [ws.example.com]."),
});

export type IngressSettings = z.output<typeof ingressSchema>;
const ingressShapeMatches: SameShape<z.input<typeof ingressSchema>, IngressArgs> = true;
void ingressShapeMatches;

export const ingressEnvironmentDefaults: EnvironmentDefaults<Partial<IngressArgs>> = { dev: {}, staging: {}, prod: {} };
