import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { solverNetworkPolicy } from "./acmeSolverAccess";
import { routeLabels, routeObjectName } from "./routeCommon";
import { ControllerInstall, RouteInputs } from "./types";

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
        rules: settings.ingress.hosts.map((host) => ({
          host,
          http: {
            paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: inputs.serviceName, port: { number: inputs.servicePort } } } }],
          },
        })),
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
      ingressClassName: install.className,
      serviceType: "ClusterIP",
      ...(install.http01SolverPod ? { podTemplate: { metadata: install.http01SolverPod } } : {}),
    },
  };
}
