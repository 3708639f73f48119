import * as pulumi from "@pulumi/pulumi";
import { ingressControllers } from "../ingress/registry";
import { RouteApi } from "../ingress/types";
import { IngressControllerName } from "../config/schema/ingress";
import { MeshProvider } from "../config/schema/mesh";


/** The names a runbook needs, all taken from what the components created (never typed twice). */
export interface RunbookTargets {
  namespace: string;
  deploymentName: string;
  serviceName: string;
  /** Selector labels of the app's pods. */
  selector: Record<string, string>;
  servicePort: number;
  metricsPort: number;
  urls: string[];
  controller: IngressControllerName;
  /** The installed controller's namespace and data-plane pod labels; absent when no strategy installed one. */
  controllerPods?: { namespace: string; podLabels: Record<string, string>; routeApi: RouteApi };
  /** Namespace of the route's TLS Secret and Certificate (the Istio gateway's, else the app's). */
  tlsNamespace?: string;
  mesh: MeshProvider;
  tls: boolean;
  /** The smoke-test Job, when `smokeTest.enabled`, and its namespace (the CA Secret's with the self-signed issuer). */
  smokeJobName?: string;
  smokeNamespace?: string;
}

export interface RunbookSection {
  /** Stable id, used as the marker in docs/troubleshooting.md. */
  id: string;
  title: string;
  commands: string[];
}

export function labelSelector(labels: Record<string, string>): string {
  return Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
}

/** The route objects, by the API the controller routes with. */
function routeCommands(t: RunbookTargets, routeApi: RouteApi): string[] {
  switch (routeApi) {
    case "ingress":
      return [`kubectl describe ingress -n ${t.namespace}`];
    case "gateway":
      return [
        `kubectl get gateways.gateway.networking.k8s.io -A`,
        `kubectl describe httproutes.gateway.networking.k8s.io -n ${t.namespace}`,
      ];
    case "native":
      return ingressControllers[t.controller].nativeRouteCommands?.(t.namespace) ?? [`kubectl describe ingress -n ${t.namespace}`];
  }
}

const meshCommands: Record<MeshProvider, (t: RunbookTargets) => string[]> = {
  none: () => [],
  istio: (t) => [
    `istioctl proxy-status`,
    `istioctl analyze -n ${t.namespace}`,
    `kubectl logs -n ${t.namespace} deployment/${t.deploymentName} -c istio-proxy --tail=100`,
  ],
  linkerd: (t) => [
    `linkerd check --proxy -n ${t.namespace}`,
    `linkerd viz stat deployment/${t.deploymentName} -n ${t.namespace}`,
    `kubectl logs -n ${t.namespace} deployment/${t.deploymentName} -c linkerd-proxy --tail=100`,
  ],
};

/** The runbook's commands with this stack's real names, in the order one works through a broken connection. */
export function runbookSections(t: RunbookTargets): RunbookSection[] {
  const app = labelSelector(t.selector);
  const ns = t.namespace;
  const sections: RunbookSection[] = [
    {
      id: "app",
      title: "App pods, endpoints and logs",
      commands: [
        `kubectl get deployment,pods,service -n ${ns} -l ${app} -o wide`,
        // Guide correction: EndpointSlices, not the guide's `kubectl get endpoints` (deprecated in Kubernetes 1.33).
        `kubectl get endpointslices -n ${ns} -l kubernetes.io/service-name=${t.serviceName} -o wide`,
        `kubectl rollout status deployment/${t.deploymentName} -n ${ns}`,
        `kubectl logs -n ${ns} -l ${app} --prefix --tail=100`,
        `kubectl get events -n ${ns} --sort-by=.lastTimestamp`,
      ],
    },
    {
      id: "bypass",
      title: "Bypass the ingress: connect to the Service directly",
      commands: [
        `kubectl port-forward -n ${ns} service/${t.serviceName} 8080:${t.servicePort}`,
        `npx ts-node --transpile-only tools/loadDriver.ts --url ws://127.0.0.1:8080/ --connections 10 --ramp 1 --hold 10`,
      ],
    },
    {
      id: "metrics",
      title: "Connection metrics from one pod",
      commands: [
        `kubectl port-forward -n ${ns} deployment/${t.deploymentName} 9090:${t.metricsPort}`,
        `curl -s http://127.0.0.1:9090/metrics | grep '^websocket_'`,
      ],
    },
    {
      id: "drain",
      title: "Drain timings the pods run with",
      commands: [
        `kubectl get deployment ${t.deploymentName} -n ${ns} -o jsonpath='{.spec.template.spec.terminationGracePeriodSeconds}{"\\n"}{.spec.template.spec.containers[0].lifecycle.preStop}{"\\n"}'`,
        `kubectl set env deployment/${t.deploymentName} -n ${ns} --list`,
      ],
    },
  ];
  if (t.controllerPods) {
    const pods = { namespace: t.controllerPods.namespace, selector: labelSelector(t.controllerPods.podLabels) };
    sections.push({
      id: `controller-${t.controller}`,
      title: `Ingress controller: ${t.controller}`,
      commands: [
        `kubectl get pods -n ${pods.namespace} -l ${pods.selector} -o wide`,
        `kubectl logs -n ${pods.namespace} -l ${pods.selector} --prefix --tail=200`,
        ...routeCommands(t, t.controllerPods.routeApi),
        ...ingressControllers[t.controller].configCommands(pods),
      ],
    });
  } else {
    sections.push({
      id: `controller-${t.controller}`,
      title: `Ingress controller: ${t.controller} (not installed by this stack)`,
      commands: [`kubectl get ingressclasses,gatewayclasses.gateway.networking.k8s.io`],
    });
  }
  if (t.tls) {
    const certs = t.tlsNamespace ?? ns;
    sections.push({
      id: "tls",
      title: "Certificates (cert-manager)",
      commands: [
        `kubectl get certificates,certificaterequests -n ${certs}`,
        `kubectl describe certificates -n ${certs}`,
        `kubectl get orders.acme.cert-manager.io,challenges.acme.cert-manager.io -n ${certs}`,
      ],
    });
  }
  const mesh = meshCommands[t.mesh](t);
  if (mesh.length > 0) sections.push({ id: `mesh-${t.mesh}`, title: `Service mesh: ${t.mesh}`, commands: mesh });
  if (t.smokeJobName) {
    sections.push({
      id: "smoke",
      title: "Smoke test through the ingress",
      commands: [
        `kubectl describe job ${t.smokeJobName} -n ${t.smokeNamespace ?? ns}`,
        `kubectl logs -n ${t.smokeNamespace ?? ns} job/${t.smokeJobName}`,
      ],
    });
  }
  sections.push({
    id: "load",
    title: "Load test through the ingress (k6)",
    commands: t.urls.map((url) => `k6 run -e WS_URL=${url} -e TARGET=100 load/websocket.k6.js`),
  });
  return sections;
}

/** What `pulumi stack output troubleshooting` prints. */
export function runbookText(sections: RunbookSection[]): string {
  return sections.map((s) => [`# ${s.title}`, ...s.commands].join("\n")).join("\n\n");
}

/** RunbookTargets whose names are still outputs of the components that create them. */
export interface RunbookInputs
  extends Omit<RunbookTargets, "namespace" | "deploymentName" | "serviceName" | "selector" | "smokeJobName" | "smokeNamespace" | "tlsNamespace" | "urls"> {
  urls: pulumi.Input<string[]>;
  tlsNamespace?: pulumi.Input<string>;
  namespace: pulumi.Input<string>;
  deploymentName: pulumi.Input<string>;
  serviceName: pulumi.Input<string>;
  selector: pulumi.Input<Record<string, string>>;
  smokeJobName?: pulumi.Input<string>;
  smokeNamespace?: pulumi.Input<string>;
}

export function runbookOutput(inputs: RunbookInputs): pulumi.Output<string> {
  return pulumi
    .all([inputs.namespace, inputs.deploymentName, inputs.serviceName, inputs.selector, inputs.smokeJobName, inputs.smokeNamespace, inputs.tlsNamespace, inputs.urls])
    .apply(([namespace, deploymentName, serviceName, selector, smokeJobName, smokeNamespace, tlsNamespace, urls]) =>
      runbookText(runbookSections({ ...inputs, namespace, deploymentName, serviceName, selector, smokeJobName, smokeNamespace, tlsNamespace, urls })),
    );
}
