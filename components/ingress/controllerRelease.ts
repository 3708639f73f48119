import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ChartPin } from "../charts";
import { FreeformValues } from "../config/schema/common";
import { ClusterSettings } from "../cluster/clusterSettings";
import { chartRelease } from "../helm/chartRelease";
import { controllerMeshEnrolment } from "../mesh/registry";
import { PlatformNamespace } from "../namespace/namespace";
import { PodSecurityLevel } from "../namespace/podSecurity";
import { GatewayApiCrds } from "./gatewayApiCrds";

export interface IngressControllerReleaseArgs {
  /** Namespace created for the controller. */
  namespace: string;
  /** Pod Security level its pods meet (every chart here runs under restricted). */
  podSecurity?: PodSecurityLevel;
  pin: ChartPin;
  /** Fixed Helm release name: chart object names and pod labels derive from it. */
  releaseName: string;
  /** Values this package sets. */
  values: FreeformValues;
  /** The user's values (`ingress.values`), deep-merged over ours. */
  userValues?: FreeformValues;
  /** Apply the pinned Gateway API CRDs before the chart (its GatewayClass needs them). */
  installGatewayApiCrds?: boolean;
  /** Where those CRDs are fetched from (a mirror); default: the pinned GitHub release URL. */
  gatewayApiCrdsUrl?: string;
  /** Wait for the chart's hook Jobs (HAProxy installs its CRDs from one). */
  waitForJobs?: boolean;
  /** Labels that enrol the controller's namespace in the app's mesh (see controllerNamespaceEnrolment). */
  namespaceLabels?: Record<string, string>;
  /** Annotations that enrol the controller's namespace in the app's mesh. */
  namespaceAnnotations?: Record<string, string>;
}

/** The controller joins the app's mesh through its namespace, or the mesh's authorization would not admit it. */
export function controllerNamespaceEnrolment(cluster: ClusterSettings): Pick<IngressControllerReleaseArgs, "namespaceLabels" | "namespaceAnnotations"> {
  const { namespaceLabels, namespaceAnnotations } = controllerMeshEnrolment(cluster);
  return { namespaceLabels, namespaceAnnotations };
}

/** One ingress controller installed by Helm into its own namespace, with the Gateway API CRDs first when asked. */
export class IngressControllerRelease extends pulumi.ComponentResource {
  public readonly namespace: pulumi.Output<string>;
  public readonly releaseName: pulumi.Output<string>;
  /** What later parts wait for: the release (and the CRDs). */
  public readonly ready: pulumi.Resource[];
  /** What exists before the chart's workloads: the namespace (and the Gateway API CRDs). */
  public readonly foundations: pulumi.Resource[];

  constructor(name: string, args: IngressControllerReleaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("websocket-platform:index:IngressControllerRelease", name, {}, opts);
    const namespace = new PlatformNamespace(
      `${name}-namespace`,
      {
        name: args.namespace,
        podSecurity: args.podSecurity ?? "restricted",
        labels: args.namespaceLabels,
        ...(args.namespaceAnnotations && Object.keys(args.namespaceAnnotations).length > 0 ? { annotations: args.namespaceAnnotations } : {}),
      },
      { parent: this },
    );
    const crds = args.installGatewayApiCrds ? new GatewayApiCrds(`${name}-gateway-api-crds`, { url: args.gatewayApiCrdsUrl }, { parent: this }) : undefined;
    const release: k8s.helm.v3.Release = chartRelease(
      `${name}-release`,
      {
        pin: args.pin,
        releaseName: args.releaseName,
        namespace: namespace.name,
        values: args.values,
        userValues: args.userValues,
        waitForJobs: args.waitForJobs,
      },
      { parent: this, dependsOn: crds ? [namespace, crds] : [namespace] },
    );
    this.namespace = namespace.name;
    this.releaseName = pulumi.output(args.releaseName);
    this.ready = crds ? [crds, release] : [release];
    this.foundations = crds ? [namespace, crds] : [namespace];
    this.registerOutputs({ namespace: this.namespace, releaseName: this.releaseName });
  }
}
