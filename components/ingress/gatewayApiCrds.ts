import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { manifests } from "../charts";

export interface GatewayApiCrdsArgs {
  /** URL (or local path) of the standard-channel install manifest, e.g. a mirror of the pinned release; defaults to GitHub's. */
  url?: string;
}

/**
 * The Gateway API CRDs (standard channel). No chart we install ships them any more (Traefik dropped them, NGINX
 * Gateway Fabric never did), so this package applies the pinned release manifest itself.
 */
export class GatewayApiCrds extends pulumi.ComponentResource {
  public readonly version: pulumi.Output<string>;
  /** The applied manifest: wait on this before creating GatewayClasses, Gateways or routes. */
  public readonly manifest: k8s.yaml.v2.ConfigFile;

  constructor(name: string, args: GatewayApiCrdsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("websocket-platform:index:GatewayApiCrds", name, {}, opts);
    const pin = manifests.gatewayApiStandard;
    this.manifest = new k8s.yaml.v2.ConfigFile(`${name}-standard`, { file: args.url ?? pin.url }, { parent: this });
    this.version = pulumi.output(args.url ? "custom" : pin.version);
    this.registerOutputs({ version: this.version });
  }
}
