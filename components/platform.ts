import * as pulumi from "@pulumi/pulumi";
import { WebSocketApp } from "./app/webSocketApp";
import { WebSocketAutoscaler } from "./autoscaling/autoscaler";
import { resolvePlatformConfig } from "./config/resolve";
import { KeyStyle } from "./config/parse";
import { PlatformArgs, PlatformSettings } from "./config/schema/platform";
import { ingressControllers } from "./ingress/registry";
import { ControllerInstall } from "./ingress/types";
import { selectorLabels } from "./labels";
import { ServiceMeshPolicies } from "./mesh/meshPolicies";
import { meshOf } from "./mesh/registry";
import { WebSocketMonitoring } from "./monitoring/monitoring";
import { PlatformNamespace } from "./namespace/namespace";
import { AppNetworkPolicies } from "./network/networkPolicies";
import { SmokeTest, smokeTestIdentity } from "./smoke/smokeTest";
import { runbookOutput } from "./smoke/troubleshooting";
import { Tls, certManagerOf, tlsSecretName } from "./tls/tls";

/** Key style of a platform built from code; the stack program validates first with `websocket-platform:` keys. */
const argsKeys: KeyStyle = { prefix: "WebSocketPlatform args." };

export interface WebSocketPlatformOptions extends pulumi.ComponentResourceOptions {
  /** How keys are named in config errors; stacks/index.ts passes the stack-config style. */
  keyStyle?: KeyStyle;
}

/**
 * The whole platform for one WebSocket app. It only composes parts and wires their outputs into each other;
 * each part is a component of its own.
 */
export class WebSocketPlatform extends pulumi.ComponentResource {
  public readonly namespace: pulumi.Output<string>;
  public readonly serviceName: pulumi.Output<string>;
  public readonly urls: pulumi.Output<string[]>;
  /** Troubleshooting commands with this platform's real names (`pulumi stack output troubleshooting`). */
  public readonly troubleshooting: pulumi.Output<string>;

  constructor(name: string, args: PlatformArgs, opts?: WebSocketPlatformOptions) {
    const { keyStyle, ...resourceOptions } = opts ?? {};
    // Validate before super(): a bad config registers nothing, not even this component.
    const { settings, warnings } = resolvePlatformConfig(args, keyStyle ?? argsKeys);
    super("websocket-platform:index:WebSocketPlatform", name, {}, resourceOptions);
    for (const warning of warnings) pulumi.log.warn(warning, this);
    const child = { parent: this };

    // Mesh enrolment is labels and annotations on the namespace and the pod template (none for no mesh).
    const mesh = meshOf(settings);
    const enrolment = mesh.appEnrolment(settings);
    const namespace = new PlatformNamespace(
      `${name}-namespace`,
      {
        name: settings.namespace,
        labels: enrolment.namespaceLabels,
        ...(Object.keys(enrolment.namespaceAnnotations).length > 0 ? { annotations: enrolment.namespaceAnnotations } : {}),
      },
      child,
    );

    const appName = `${name}-${settings.app.name}`;
    const app = new WebSocketApp(
      appName,
      {
        ...settings.app,
        namespace: namespace.name,
        replicasOwnedByAutoscaler: settings.autoscaling.enabled,
        podLabels: enrolment.podLabels,
        podAnnotations: enrolment.podAnnotations,
      },
      child,
    );
    const podSelector = selectorLabels({ name: settings.app.name, instance: appName });

    // The chosen controller strategy: installed once, then the route to the app's Service. Strategies register in ingress/registry.ts.
    const controller = ingressControllers[settings.ingress.controller];
    const install: ControllerInstall = controller.install(`${name}-ingress`, settings, child);
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
        // The namespaces its objects live in and the CRDs cert-manager watches; the controller's pods may still be starting.
        { ...child, dependsOn: [namespace, ...install.foundations] },
      )
      : undefined;
    const routeResources = controller.route(
      {
        name: `${name}-route`,
        settings,
        namespace: namespace.name,
        serviceName: app.serviceName,
        servicePort: settings.app.port,
        install,
        tlsSecretName: settings.tls.enabled ? tlsSecretName(tlsName, settings.tls) : undefined,
      },
      child,
    );

    if (settings.mesh.provider !== "none") {
      new ServiceMeshPolicies(
        `${name}-mesh`,
        { settings, namespace: namespace.name, serviceName: app.serviceName, podSelector, install },
        child,
      );
    }
    const smokeName = `${name}-smoke`;
    // With the self-signed issuer the check trusts its root CA, so it runs where that Secret lives.
    const smokeNamespace = tls && settings.tls.issuer === "selfsigned" ? install.tlsSecretNamespace : settings.namespace;
    const smokeRunsInAppNamespace = settings.smokeTest.enabled && smokeNamespace === settings.namespace;
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
    // The adapter chart's APIService certificate comes from cert-manager: with ours, install the adapter after it.
    const adapterAfterCertManager = tls && settings.autoscaling.engine === "prometheus-adapter";
    const autoscaler = settings.autoscaling.enabled
      ? new WebSocketAutoscaler(`${name}-autoscaling`, { ...settings.autoscaling, ...appRefs }, adapterAfterCertManager ? { ...child, dependsOn: certManagerOf(tls) } : child)
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

    const urls = publicUrls(settings);
    // Created after the app, the route and the certificate: Pulumi awaits the Job, so `pulumi up` fails if WebSockets do not work end to end.
    const selfSignedCa = tls && settings.tls.issuer === "selfsigned" ? tls : undefined;
    const { enabled: smokeTestEnabled, ...smokeTest } = settings.smokeTest;
    const smoke = smokeTestEnabled
      ? new SmokeTest(
          smokeName,
          {
            ...smokeTest,
            namespace: smokeNamespace === settings.namespace ? namespace.name : smokeNamespace,
            url: urls[0],
            trigger: settings.app.image,
            caSecretName: selfSignedCa?.caSecretName.apply((ca) => ca ?? ""),
          },
          { ...child, dependsOn: [app, ...routeResources, ...(tls ? [tls] : [])] },
        )
      : undefined;

    this.namespace = namespace.name;
    this.serviceName = app.serviceName;
    this.urls = pulumi.output(urls);
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
    this.registerOutputs({ namespace: this.namespace, serviceName: this.serviceName, urls: this.urls, troubleshooting: this.troubleshooting });
  }
}

/** The URLs clients connect to: wss:// when TLS is on. */
export function publicUrls(settings: PlatformSettings): string[] {
  const scheme = settings.tls.enabled ? "wss" : "ws";
  return settings.ingress.hosts.map((host) => `${scheme}://${host}/`);
}
