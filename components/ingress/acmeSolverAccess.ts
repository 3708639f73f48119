import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { istioSettings } from "../config/schema/mesh";
import { PlatformSettings } from "../config/schema/platform";
import { routeLabels, routeObjectName } from "./routeCommon";
import { ControllerInstall, RouteInputs } from "./types";

/** cert-manager labels every HTTP-01 solver pod with this (acme.cert-manager.io SolverIdentificationLabelKey). */
export const http01SolverPodLabels = { "acme.cert-manager.io/http01-solver": "true" };
/** Port cert-manager's HTTP-01 solver pod serves the challenge on. */
export const http01SolverPort = 8089;

/**
 * Whether cert-manager's HTTP-01 solver pods run under the app namespace's default-deny NetworkPolicy: an ACME
 * issuer solving HTTP-01 with its Certificate (and so its solver pods) in the app's namespace.
 */
export function solverNeedsNetworkAccess(settings: PlatformSettings, install: ControllerInstall): boolean {
  const { tls } = settings;
  return settings.networkPolicy.enabled && tls.enabled && tls.issuer !== "selfsigned" && tls.solver === "http01" && install.tlsInAppNamespace;
}

/** Only the controller's pods reach the solver pods, only on the challenge port. */
export function solverNetworkPolicySpec(install: ControllerInstall): k8s.types.input.networking.v1.NetworkPolicySpec {
  return {
    podSelector: { matchLabels: { ...http01SolverPodLabels } },
    policyTypes: ["Ingress"],
    ingress: [
      {
        from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": install.namespace } }, podSelector: { matchLabels: { ...install.podLabels } } }],
        ports: [{ port: http01SolverPort, protocol: "TCP" }],
      },
    ],
  };
}

/** The NetworkPolicy that lets the controller reach HTTP-01 solver pods, when they run under default deny; else nothing. */
export function solverNetworkPolicy(inputs: RouteInputs, parent: pulumi.Resource): k8s.networking.v1.NetworkPolicy | undefined {
  const { settings, install } = inputs;
  if (!solverNeedsNetworkAccess(settings, install)) return undefined;
  return new k8s.networking.v1.NetworkPolicy(
    `${inputs.name}-acme-solver`,
    {
      metadata: { name: routeObjectName(settings, "acme-solver"), namespace: inputs.namespace, labels: routeLabels(settings) },
      spec: solverNetworkPolicySpec(install),
    },
    { parent },
  );
}

/** Labels and annotations for cert-manager's solver pods (its podTemplate.metadata). */
export interface SolverPodMetadata {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/**
 * Solver pods in a meshed app namespace stay out of the mesh: a meshed solver's proxy would need egress to the
 * control plane that the default deny refuses, and the controller reaches an unmeshed pod in plain HTTP on 8089.
 */
export function solverPodMetadata(settings: PlatformSettings): SolverPodMetadata | undefined {
  if (settings.mesh.provider === "linkerd") return { annotations: { "linkerd.io/inject": "disabled" } };
  if (settings.mesh.provider === "istio") {
    return istioSettings(settings.mesh).mode === "ambient" ? { labels: { "istio.io/dataplane-mode": "none" } } : { labels: { "sidecar.istio.io/inject": "false" } };
  }
  return undefined;
}

/** The ControllerInstall field for controllers whose HTTP-01 solver pods run in the app's namespace. */
export function httpSolverPod(settings: PlatformSettings): { http01SolverPod?: SolverPodMetadata } {
  const metadata = solverPodMetadata(settings);
  return metadata ? { http01SolverPod: metadata } : {};
}
