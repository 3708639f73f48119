import * as pulumi from "@pulumi/pulumi";
import { WebSocketApp } from "../app/webSocketApp";
import { WebSocketAutoscaler } from "../autoscaling/autoscaler";
import { ClusterReference } from "../cluster/clusterReference";
import { WebSocketCluster, clusterResources } from "../cluster/webSocketCluster";
import { checkedInput } from "../config/checkedInput";
import { KeyStyle } from "../config/parse";
import { dnsLabel } from "../config/schema/common";
import { PlatformSettings } from "../config/schema/platform";
import { httpSolverPod } from "../ingress/acmeSolverAccess";
import { anyOrigin } from "../app/origin";
import { OriginPolicy } from "../app/runtimeEnvironment";
import { originPolicyOf, sameSiteOrigin } from "../ingress/allowedOrigins";
import { KnownHosts, onceHostsKnown } from "../config/knownHosts";
import { mapInput } from "../config/pulumiInput";
import { gatewayAccessLabel } from "../ingress/gatewayRoute";
import { ingressControllers } from "../ingress/registry";
import { ControllerInstall } from "../ingress/types";
import { selectorLabels } from "../labels";
import { ServiceMeshPolicies } from "../mesh/meshPolicies";
import { meshOf } from "../mesh/registry";
import { WebSocketMonitoring } from "../monitoring/monitoring";
import { PlatformNamespace } from "../namespace/namespace";
import { AppNetworkPolicies } from "../network/networkPolicies";
import { SmokeTest, smokeTestIdentity } from "../smoke/smokeTest";
import { runbookOutput } from "../smoke/troubleshooting";
import { Tls, tlsSecretName } from "../tls/tls";
import { ServiceArgs, resolveServiceConfig } from "./serviceSettings";

export interface WebSocketServiceOptions extends pulumi.ComponentResourceOptions {
  /** How keys are named in config errors (WebSocketPlatform passes its own). */
  keyStyle?: KeyStyle;
  /** The cluster part when it is in the same program: the app's objects then wait for exactly what they need of it. */
  clusterPart?: WebSocketCluster;
}

/** What one app's parts know of the controller: the reference's facts, resolved for this app, and what to wait for. */
export function controllerInstallOf(ref: ClusterReference, settings: PlatformSettings, cluster?: WebSocketCluster): ControllerInstall {
  const resources = cluster ? clusterResources(cluster) : undefined;
  const controller = ingressControllers[ref.controller];
  const { meshProxy } = controller.features;
  const appGateway = ref.routeApi === "gateway" && !ref.gateway ? controller.appGateway?.(settings.app.name, ref.controllerNamespace) : undefined;
  const gateway = ref.gateway ?? appGateway;
  // Decided by the reference, not by comparing names: the app's namespace may be an Output.
  const tlsInAppNamespace = ref.tlsSecretNamespace === undefined || ref.tlsSecretNamespace === settings.namespace;
  const tlsSecretNamespace = tlsInAppNamespace ? settings.namespace : ref.tlsSecretNamespace!;
  return {
    controller: ref.controller,
    className: ref.className,
    namespace: ref.controllerNamespace,
    podLabels: ref.dataPlanePodLabels,
    serviceAccountName: ref.dataPlaneServiceAccount,
    tlsSecretNamespace,
    tlsInAppNamespace,
    routeApi: ref.routeApi,
    ...(gateway ? { gateway } : {}),
    ...(ref.gateway ? { sharedGateway: true } : {}),
    ...(meshProxy ? { meshProxy } : {}),
    // HTTP-01 solver pods run where the Certificate is: in the app's namespace they stay out of its mesh.
    ...(tlsInAppNamespace ? httpSolverPod(settings) : {}),
    readyResources: resources?.controllerReady ?? [],
    foundations: resources?.foundations ?? [],
  };
}

/**
 * One WebSocket app on a cluster part: namespace, app, route, certificate, mesh policies, NetworkPolicies,
 * autoscaler, monitoring and smoke test. Many of these share one cluster, in one program or in many stacks.
 */
export class WebSocketService extends pulumi.ComponentResource {
  public readonly namespace: pulumi.Output<string>;
  public readonly serviceName: pulumi.Output<string>;
  public readonly urls: pulumi.Output<string[]>;
  /** The TLS Secret the route serves (empty when TLS is off), and where it lives. */
  public readonly tlsSecretName: pulumi.Output<string>;
  public readonly tlsSecretNamespace: pulumi.Output<string>;
  /** Troubleshooting commands with this app's real names (`pulumi stack output troubleshooting`). */
  public readonly troubleshooting: pulumi.Output<string>;

  constructor(name: string, args: ServiceArgs, opts?: WebSocketServiceOptions) {
    const { keyStyle, clusterPart, ...resourceOptions } = opts ?? {};
    // Validate before super(): a bad config registers nothing, not even this component.
    const style = keyStyle ?? { prefix: "WebSocketService args." };
    const { service, settings, warnings } = resolveServiceConfig(args, style);
    super("websocket-platform:index:WebSocketService", name, {}, resourceOptions);
    for (const warning of warnings) pulumi.log.warn(warning, this);
    const child = { parent: this };
    const ref = service.cluster;
    const resources = clusterPart ? clusterResources(clusterPart) : undefined;
    const controller = ingressControllers[ref.controller];
    const install = controllerInstallOf(ref, settings, clusterPart);

    // Mesh enrolment is labels and annotations on the namespace and the pod template (none for no mesh).
    const mesh = meshOf(settings);
    const enrolment = mesh.appEnrolment(settings);
    // A shared Gateway admits routes and ListenerSets only from namespaces that carry its label.
    const gatewayAccess: Record<string, string> = install.sharedGateway && install.gateway ? { [gatewayAccessLabel]: install.gateway.name } : {};
    const namespace = new PlatformNamespace(
      `${name}-namespace`,
      {
        // An Output (another stack's namespace) is checked when it resolves.
        name: checkedInput(settings.namespace, dnsLabel, ["namespace"], style),
        labels: { ...enrolment.namespaceLabels, ...gatewayAccess },
        ...(Object.keys(enrolment.namespaceAnnotations).length > 0 ? { annotations: enrolment.namespaceAnnotations } : {}),
      },
      child,
    );

    // One origin policy for the server's 403, the route's edge matches and the smoke test's Origin.
    const origins = onceHostsKnown(settings, originPolicyOf);
    const appName = `${name}-${settings.app.name}`;
    const app = new WebSocketApp(
      appName,
      {
        ...settings.app,
        namespace: namespace.name,
        replicasOwnedByAutoscaler: settings.autoscaling.enabled,
        podLabels: enrolment.podLabels,
        podAnnotations: enrolment.podAnnotations,
        allowedOrigins: mapInput(origins, originList),
        allowMissingOrigin: settings.ingress.allowMissingOrigin,
      },
      child,
    );
    const podSelector = selectorLabels({ name: settings.app.name, instance: appName });

    // TLS: the Certificate lives where the controller reads Secrets; cert-manager solves HTTP-01 the controller's way.
    const tlsName = `${name}-tls`;
    const tls = settings.tls.enabled
      ? new Tls(
          tlsName,
          {
            ...settings.tls,
            hosts: settings.ingress.hosts,
            namespace: install.tlsSecretNamespace,
            http01Solver: controller.acmeHttp01Solver(install, { name: tlsName, namespace: install.tlsSecretNamespace }),
            gatewayApi: install.routeApi === "gateway",
          },
          // The namespaces its objects live in, the CRDs cert-manager watches, and cert-manager itself; never the controller's pods.
          { ...child, dependsOn: [namespace, ...install.foundations, ...(resources?.certManager ?? [])] },
        )
      : undefined;
    const secretName = settings.tls.enabled ? tlsSecretName(tlsName, settings.tls) : undefined;
    const routeResources = controller.route(
      {
        name: `${name}-route`,
        settings,
        namespace: namespace.name,
        serviceName: app.serviceName,
        servicePort: settings.app.port,
        install,
        tlsSecretName: secretName,
        meshNeedsServiceAddress: mesh.needsServiceAddress(settings.mesh),
      },
      child,
    );

    if (settings.mesh.provider !== "none") {
      new ServiceMeshPolicies(`${name}-mesh`, { settings, namespace: namespace.name, serviceName: app.serviceName, podSelector, install }, child);
    }
    const smokeName = `${name}-smoke`;
    // With the self-signed issuer the check trusts its root CA, so it runs where that Secret lives.
    const smokeInTlsNamespace = tls !== undefined && settings.tls.issuer === "selfsigned" && !install.tlsInAppNamespace;
    const smokeRunsInAppNamespace = settings.smokeTest.enabled && !smokeInTlsNamespace;
    if (settings.networkPolicy.enabled) {
      new AppNetworkPolicies(
        `${name}-network`,
        {
          namespace: namespace.name,
          appName: settings.app.name,
          podSelector,
          webSocketPort: settings.app.port,
          metricsPort: settings.app.metricsPort,
          controller: { namespace: install.namespace, podLabels: install.podLabels },
          policy: settings.networkPolicy,
          mesh: mesh.network(settings),
          ...(smokeRunsInAppNamespace
            ? { smokeTest: { podSelector: selectorLabels(smokeTestIdentity(smokeName)), urlPort: settings.tls.enabled ? 443 : 80 } }
            : {}),
        },
        child,
      );
    }

    const appRefs = { namespace: namespace.name, deploymentName: app.deploymentName, serviceName: app.serviceName };
    const autoscaler = settings.autoscaling.enabled
      ? new WebSocketAutoscaler(`${name}-autoscaling`, { ...settings.autoscaling, ...appRefs }, { ...child, dependsOn: resources?.autoscalingEngine ?? [] })
      : undefined;
    if (settings.monitoring.enabled) {
      new WebSocketMonitoring(
        `${name}-monitoring`,
        {
          ...settings.monitoring,
          ...appRefs,
          serviceLabels: app.selector,
          hpaName: autoscaler?.hpaName,
          targetConnectionsPerPod: autoscaler ? settings.autoscaling.targetConnectionsPerPod : undefined,
        },
        child,
      );
    }

    const urls = onceHostsKnown(settings, publicUrls);
    // Created after the app, the route and the certificate: Pulumi awaits the Job, so `pulumi up` fails if WebSockets do not work end to end.
    const selfSignedCa = tls && settings.tls.issuer === "selfsigned" ? tls : undefined;
    const { enabled: smokeTestEnabled, ...smokeTest } = settings.smokeTest;
    const smoke = smokeTestEnabled
      ? new SmokeTest(
          smokeName,
          {
            ...smokeTest,
            namespace: smokeInTlsNamespace ? install.tlsSecretNamespace : namespace.name,
            url: mapInput(urls, (list) => list[0]),
            origin: onceHostsKnown(settings, (known) => sameSiteOrigin(originPolicyOf(known), known.ingress.hosts[0], known.tls.enabled) ?? ""),
            trigger: settings.app.image,
            caSecretName: selfSignedCa?.caSecretName.apply((ca) => ca ?? ""),
          },
          { ...child, dependsOn: [app, ...routeResources, ...(tls ? [tls] : [])] },
        )
      : undefined;

    this.namespace = namespace.name;
    this.serviceName = app.serviceName;
    this.urls = pulumi.output(urls);
    this.tlsSecretName = pulumi.output(secretName ?? "");
    this.tlsSecretNamespace = pulumi.output(install.tlsSecretNamespace);
    this.troubleshooting = runbookOutput({
      namespace: namespace.name,
      deploymentName: app.deploymentName,
      serviceName: app.serviceName,
      selector: app.selector,
      servicePort: settings.app.port,
      metricsPort: settings.app.metricsPort,
      urls,
      controller: settings.ingress.controller,
      controllerPods: { namespace: install.namespace, podLabels: install.podLabels, routeApi: install.routeApi },
      tlsNamespace: install.tlsSecretNamespace,
      mesh: settings.mesh.provider,
      tls: settings.tls.enabled,
      smokeNamespace: smoke?.namespace,
      smokeJobName: smoke?.jobName,
    });
    this.registerOutputs({
      namespace: this.namespace,
      serviceName: this.serviceName,
      urls: this.urls,
      tlsSecretName: this.tlsSecretName,
      tlsSecretNamespace: this.tlsSecretNamespace,
      troubleshooting: this.troubleshooting,
    });
  }
}

/** The server's ALLOWED_ORIGINS list: the policy's origins, or "*" alone. */
function originList(policy: OriginPolicy): string[] {
  return policy.allowedOrigins === anyOrigin ? [anyOrigin] : policy.allowedOrigins;
}

/** The URLs clients connect to: wss:// when TLS is on. */
export function publicUrls(settings: KnownHosts<PlatformSettings>): string[] {
  const scheme = settings.tls.enabled ? "wss" : "ws";
  return settings.ingress.hosts.map((host) => `${scheme}://${host}/`);
}
