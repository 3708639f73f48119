import { PlatformRule } from "./types";

/** Outside dev one pod is a single point of failure: a node drain or a crash drops every connection at once. */
const twoReplicasOutsideDev: PlatformRule = (config) =>
  config.autoscaling.enabled && config.environment !== "dev" && config.autoscaling.minReplicas < 2
    ? [{ path: ["autoscaling", "minReplicas"], given: config.autoscaling.minReplicas, allowed: `at least 2 outside dev (environment is ${config.environment})` }]
    : [];

/** A target at or above the capacity never triggers: pods refuse upgrades before the average reaches it. */
const targetBelowCapacity: PlatformRule = (config) =>
  config.autoscaling.enabled && config.autoscaling.targetConnectionsPerPod >= config.app.maxConnectionsPerPod
    ? [
        {
          path: ["autoscaling", "targetConnectionsPerPod"],
          given: config.autoscaling.targetConnectionsPerPod,
          allowed: `below app.maxConnectionsPerPod (${config.app.maxConnectionsPerPod})`,
        },
      ]
    : [];

export const autoscalingRules: PlatformRule[] = [twoReplicasOutsideDev, targetBelowCapacity];
