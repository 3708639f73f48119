import * as pulumi from "@pulumi/pulumi";
import { WebSocketApp } from "./app/webSocketApp";
import { resolvePlatformConfig } from "./config/resolve";
import { KeyStyle } from "./config/parse";
import { PlatformArgs, PlatformSettings } from "./config/schema/platform";
import { ingressControllers } from "./ingress/registry";
import { ControllerInstall } from "./ingress/types";
import { PlatformNamespace } from "./namespace/namespace";
import { objectName } from "./naming";

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

  constructor(name: string, args: PlatformArgs, opts?: WebSocketPlatformOptions) {
    const { keyStyle, ...resourceOptions } = opts ?? {};
    // Validate before super(): a bad config registers nothing, not even this component.
    const { settings, warnings } = resolvePlatformConfig(args, keyStyle ?? argsKeys);
    super("websocket-platform:index:WebSocketPlatform", name, {}, resourceOptions);
    for (const warning of warnings) pulumi.log.warn(warning, this);
    const child = { parent: this };

    const namespace = new PlatformNamespace(`${name}-namespace`, { name: settings.namespace }, child);

    const app = new WebSocketApp(
      `${name}-${settings.app.name}`,
      { ...settings.app, namespace: namespace.name },
      child,
    );

    // The chosen controller strategy: installed once, then the route to the app's Service. Strategies register in ingress/registry.ts.
    const controller = ingressControllers[settings.ingress.controller];
    const install: ControllerInstall | undefined = controller?.install(`${name}-ingress`, settings, child);
    if (controller && install) {
      controller.route(
        {
          name: `${name}-route`,
          settings,
          namespace: namespace.name,
          serviceName: app.serviceName,
          servicePort: settings.app.port,
          install,
          // The TLS part issues the certificate into this Secret (in install.tlsSecretNamespace).
          tlsSecretName: settings.tls.enabled ? objectName(settings.app.name, "tls") : undefined,
        },
        child,
      );
    }

    this.namespace = namespace.name;
    this.serviceName = app.serviceName;
    this.urls = pulumi.output(publicUrls(settings));
    this.registerOutputs({ namespace: this.namespace, serviceName: this.serviceName, urls: this.urls });
  }
}

/** The URLs clients connect to: wss:// when TLS is on. */
export function publicUrls(settings: PlatformSettings): string[] {
  const scheme = settings.tls.enabled ? "wss" : "ws";
  return settings.ingress.hosts.map((host) => `${scheme}://${host}/`);
}
