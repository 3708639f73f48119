import * as pulumi from "@pulumi/pulumi";
import { ClusterReference } from "./cluster/clusterReference";
import { clusterSettingsOf, serviceArgsOf } from "./cluster/fromPlatform";
import { WebSocketCluster } from "./cluster/webSocketCluster";
import { KeyStyle } from "./config/parse";
import { resolvePlatformConfig } from "./config/resolve";
import { PlatformArgs } from "./config/schema/platform";
import { ControllerServiceRef } from "./ingress/types";
import { WebSocketService } from "./service/webSocketService";

export { publicUrls } from "./service/webSocketService";

/** Key style of a platform built from code; the stack program validates first with `websocket-platform:` keys. */
const argsKeys: KeyStyle = { prefix: "WebSocketPlatform args." };

export interface WebSocketPlatformOptions extends pulumi.ComponentResourceOptions {
  /** How keys are named in config errors; stacks/index.ts passes the stack-config style. */
  keyStyle?: KeyStyle;
}

/**
 * A cluster part and one app part for a one-app stack, from one config. It only composes them: everything lives
 * in WebSocketCluster and WebSocketService, which many-app clusters use directly.
 */
export class WebSocketPlatform extends pulumi.ComponentResource {
  public readonly namespace: pulumi.Output<string>;
  public readonly serviceName: pulumi.Output<string>;
  public readonly urls: pulumi.Output<string[]>;
  /** Troubleshooting commands with this platform's real names (`pulumi stack output troubleshooting`). */
  public readonly troubleshooting: pulumi.Output<string>;
  /** The cluster part's reference, for app stacks that join this cluster later. */
  public readonly reference: ClusterReference;
  public readonly controllerService: pulumi.Output<ControllerServiceRef | undefined>;

  constructor(name: string, args: PlatformArgs, opts?: WebSocketPlatformOptions) {
    const { keyStyle, ...resourceOptions } = opts ?? {};
    const style = keyStyle ?? argsKeys;
    // Validate before super(): a bad config registers nothing, not even this component.
    const { settings } = resolvePlatformConfig(args, style);
    super("websocket-platform:index:WebSocketPlatform", name, {}, resourceOptions);
    const child = { parent: this };
    // Both parts take this component's name, so object and resource names are those of a one-app stack.
    const cluster = new WebSocketCluster(name, clusterSettingsOf(settings), { ...child, keyStyle: style });
    const service = new WebSocketService(name, serviceArgsOf(settings, cluster.reference), { ...child, keyStyle: style, clusterPart: cluster });
    this.namespace = service.namespace;
    this.serviceName = service.serviceName;
    this.urls = service.urls;
    this.troubleshooting = service.troubleshooting;
    this.reference = cluster.reference;
    this.controllerService = cluster.controllerService;
    this.registerOutputs({
      namespace: this.namespace,
      serviceName: this.serviceName,
      urls: this.urls,
      troubleshooting: this.troubleshooting,
      reference: this.reference,
      controllerService: this.controllerService,
    });
  }
}
