import * as pulumi from "@pulumi/pulumi";
import { PlatformSettings } from "../config/schema/platform";
import { IngressControllerName } from "../config/schema/ingress";

/** What an installed (or existing) controller tells the other parts: TLS, mesh and NetworkPolicies read only this. */
export interface ControllerInstall {
  controller: IngressControllerName;
  /** IngressClass or GatewayClass name routes refer to. */
  className: string;
  /** Namespace the controller's pods run in (NetworkPolicy peer, mesh identities). */
  namespace: string;
  /** Labels of the controller's data-plane pods (NetworkPolicy peer). */
  podLabels: Record<string, string>;
  /** Service account of the controller's data-plane pods (Linkerd/Istio identities). */
  serviceAccountName: string;
  /** Namespace where the route's TLS Secret must live (the Istio gateway's namespace, else the app's). */
  tlsSecretNamespace: string;
  /** Whether the route is Gateway API (HTTP-01 through gatewayHTTPRoute) or Ingress-like (ingressClassName). */
  routeApi: "ingress" | "gateway" | "native";
  /** Resources later parts wait for, e.g. the Helm release that installs the controller and its CRDs. */
  readyResources: pulumi.Resource[];
}

/** Everything a route needs to send the app's WebSocket traffic to its Service. */
export interface RouteInputs {
  /** Logical name prefix for the route's objects. */
  name: string;
  settings: PlatformSettings;
  namespace: pulumi.Input<string>;
  serviceName: pulumi.Input<string>;
  servicePort: number;
  install: ControllerInstall;
  /** TLS Secret name when TLS is on (in install.tlsSecretNamespace). */
  tlsSecretName?: string;
}

/** One ingress controller: how it is installed, how it routes, and how cert-manager reaches it. */
export interface IngressController {
  readonly name: IngressControllerName;
  /** Install the controller (or describe an existing one) with `opts.parent` as the parent of what it creates. */
  install(name: string, settings: PlatformSettings, opts: pulumi.ComponentResourceOptions): ControllerInstall;
  /** The objects that route the app's WebSocket traffic through this controller. */
  route(inputs: RouteInputs, opts: pulumi.ComponentResourceOptions): pulumi.Resource[];
  /** cert-manager's ACME HTTP-01 solver for this controller (an `http01` solver body). */
  acmeHttp01Solver(install: ControllerInstall, inputs: { name: string; namespace: string }): Record<string, unknown>;
}
