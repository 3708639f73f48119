import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { partOf } from "../labels";
import { PodSecurityLevel, podSecurityLabels } from "./podSecurity";

export interface PlatformNamespaceArgs {
  /** Name of the namespace. */
  name: pulumi.Input<string>;
  /** Pod Security Standard enforced in it; restricted unless a chart's pods need less. */
  podSecurity?: PodSecurityLevel;
  /** Extra labels, e.g. mesh enrolment. */
  labels?: Record<string, string>;
  /** Extra annotations, e.g. mesh enrolment. */
  annotations?: Record<string, string>;
}

/** A namespace with Pod Security labels; the app's, or a controller's. */
export class PlatformNamespace extends pulumi.ComponentResource {
  public readonly name: pulumi.Output<string>;

  constructor(name: string, args: PlatformNamespaceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("websocket-platform:index:PlatformNamespace", name, {}, opts);
    const namespace = new k8s.core.v1.Namespace(
      name,
      {
        metadata: {
          name: args.name,
          labels: {
            ...(args.labels ?? {}),
            ...podSecurityLabels(args.podSecurity ?? "restricted"),
            "app.kubernetes.io/part-of": partOf,
            "app.kubernetes.io/managed-by": "pulumi",
          },
          ...(args.annotations ? { annotations: args.annotations } : {}),
        },
      },
      { parent: this },
    );
    this.name = namespace.metadata.name;
    this.registerOutputs({ name: this.name });
  }
}
