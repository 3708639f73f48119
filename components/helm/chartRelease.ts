import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ChartPin } from "../charts";
import { deepMerge } from "../config/merge";

export interface ChartReleaseArgs {
  pin: ChartPin;
  /** Fixed Helm release name, so the chart's object names (and what NetworkPolicies select) are predictable. */
  releaseName: string;
  namespace: pulumi.Input<string>;
  /** Values this package sets. */
  values: Record<string, unknown>;
  /** The user's values for what we do not model, deep-merged over ours. */
  userValues?: Record<string, unknown>;
  /** Helm hooks Jobs (CRD installers) must finish before the release counts as ready. */
  waitForJobs?: boolean;
}

/** A pinned Helm release (helm.v3.Release: Helm itself installs it, hooks and CRDs included). */
export function chartRelease(name: string, args: ChartReleaseArgs, opts: pulumi.CustomResourceOptions): k8s.helm.v3.Release {
  const isOci = args.pin.repository.startsWith("oci://");
  return new k8s.helm.v3.Release(
    name,
    {
      name: args.releaseName,
      chart: isOci ? `${args.pin.repository}/${args.pin.chart}` : args.pin.chart,
      version: args.pin.version,
      ...(isOci ? {} : { repositoryOpts: { repo: args.pin.repository } }),
      namespace: args.namespace,
      values: deepMerge(args.values, args.userValues ?? {}),
      atomic: true,
      cleanupOnFail: true,
      maxHistory: 10,
      ...(args.waitForJobs ? { waitForJobs: true } : {}),
    },
    opts,
  );
}
