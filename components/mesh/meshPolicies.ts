import * as pulumi from "@pulumi/pulumi";
import { PlatformSettings } from "../config/schema/platform";
import { ControllerInstall } from "../ingress/types";
import { meshOf } from "./registry";

export interface ServiceMeshPoliciesArgs {
  /** The platform's settings; `mesh.provider` picks the strategy. */
  settings: PlatformSettings;
  /** App namespace. */
  namespace: pulumi.Input<string>;
  /** The app's Service. */
  serviceName: pulumi.Input<string>;
  /** Selector labels of the app's pods. */
  podSelector: Record<string, string>;
  /** The installed ingress controller, whose identity is admitted; leave out when there is none. */
  install?: ControllerInstall;
}

/** The mesh's objects for one app: mTLS mode, authorization and traffic policy (Istio or Linkerd; nothing for none). */
export class ServiceMeshPolicies extends pulumi.ComponentResource {
  public readonly provider: pulumi.Output<string>;

  constructor(name: string, args: ServiceMeshPoliciesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("websocket-platform:index:ServiceMeshPolicies", name, {}, opts);
    const mesh = meshOf(args.settings);
    mesh.policies({ name, ...args }, { parent: this });
    this.provider = pulumi.output(mesh.name);
    this.registerOutputs({ provider: this.provider });
  }
}
