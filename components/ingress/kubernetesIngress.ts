import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ChartPin } from "../charts";
import { ClusterSettings } from "../cluster/clusterSettings";
import { onceHostsKnown } from "../config/knownHosts";
import { solverNetworkPolicy } from "./acmeSolverAccess";
import { IngressControllerRelease, controllerNamespaceEnrolment } from "./controllerRelease";
import { WebSocketRoute, routeLabels, routeObjectName, userValues } from "./routeCommon";
import { ControllerInstall, ControllerServiceRef, InstalledController, RouteInputs } from "./types";

/** What tells two Ingress-API controllers (ingress-nginx, HAProxy) apart; their install and route are otherwise the same. */
export interface IngressApiController {
  controller: "nginx" | "haproxy";
  namespace: string;
  className: string;
  pin: ChartPin;
  releaseName: string;
  values: Record<string, unknown>;
  /** Labels of the controller's pods (NetworkPolicy peer); its ServiceAccount is named after the release. */
  podLabels: Record<string, string>;
  /** The chart's controller Service. */
  service: ControllerServiceRef;
  waitForJobs?: boolean;
}

/** The controller's chart in its own namespace, and what routes, TLS and NetworkPolicies need to know of it. */
export function installIngressApiController(name: string, cluster: ClusterSettings, spec: IngressApiController, opts: pulumi.ComponentResourceOptions): InstalledController {
  const release = new IngressControllerRelease(
    name,
    {
      ...controllerNamespaceEnrolment(cluster),
      namespace: spec.namespace,
      pin: spec.pin,
      releaseName: spec.releaseName,
      values: spec.values,
      userValues: userValues(cluster),
      ...(spec.waitForJobs ? { waitForJobs: true } : {}),
    },
    opts,
  );
  return {
    controller: spec.controller,
    className: spec.className,
    namespace: spec.namespace,
    podLabels: spec.podLabels,
    serviceAccountName: spec.releaseName,
    service: spec.service,
    routeApi: "ingress",
    readyResources: release.ready,
    foundations: release.foundations,
  };
}

/** The route of an Ingress-API controller: one Ingress with the controller's annotations, grouped under a WebSocketRoute. */
export function ingressApiRoute(inputs: RouteInputs, annotations: Record<string, string>, opts: pulumi.ComponentResourceOptions): pulumi.Resource[] {
  const group = new WebSocketRoute(inputs.name, { controller: inputs.install.controller, api: "native" }, opts);
  kubernetesIngress(inputs, annotations, group);
  return [group];
}

/** A networking.k8s.io/v1 Ingress of the controller's class: every host, all paths, to the app's Service; TLS when given. */
export function kubernetesIngress(inputs: RouteInputs, annotations: Record<string, string>, parent: pulumi.Resource): k8s.networking.v1.Ingress {
  const { settings } = inputs;
  // The app namespace denies all ingress: without this, HTTP-01 challenges never reach cert-manager's solver pods.
  solverNetworkPolicy(inputs, parent);
  return new k8s.networking.v1.Ingress(
    `${inputs.name}-ingress`,
    {
      metadata: { name: routeObjectName(settings), namespace: inputs.namespace, labels: routeLabels(settings), annotations },
      spec: {
        ingressClassName: inputs.install.className,
        ...(inputs.tlsSecretName ? { tls: [{ hosts: settings.ingress.hosts, secretName: inputs.tlsSecretName }] } : {}),
        rules: onceHostsKnown(settings, ({ ingress }) =>
          ingress.hosts.map((host) => ({
            host,
            http: {
              paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: inputs.serviceName, port: { number: inputs.servicePort } } } }],
            },
          })),
        ),
      },
    },
    { parent, dependsOn: inputs.install.readyResources },
  );
}

/** cert-manager reaches an Ingress controller through a solver Ingress of its class. */
export function ingressHttp01Solver(install: ControllerInstall): Record<string, unknown> {
  // ClusterIP: cert-manager's default NodePort would open the solver's port on every node; the controller reaches it in-cluster.
  return {
    ingress: {
      // Guide correction: ingressClassName (cert-manager ≥ 1.12); the guide's http01.ingress.class is legacy.
      ingressClassName: install.className,
      serviceType: "ClusterIP",
      ...(install.http01SolverPod ? { podTemplate: { metadata: install.http01SolverPod } } : {}),
    },
  };
}
