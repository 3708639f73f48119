import { PlatformRule, PlatformWarning } from "./types";

/** Outside dev one pod is a single point of failure: a node drain or a crash drops every connection at once. */
const twoReplicasOutsideDev: PlatformRule = (config) =>
  config.autoscaling.enabled && config.environment !== "dev" && config.autoscaling.minReplicas < 2
    ? [
        {
          path: ["autoscaling", "minReplicas"],
          given: config.autoscaling.minReplicas,
          allowed: `at least 2 outside dev (environment is ${config.environment})`,
        },
      ]
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

/** Without our ServiceMonitor the connections series only exists if the user's Prometheus scrapes the app some other way. */
const scaledButNotScraped: PlatformWarning = (config) =>
  config.autoscaling.enabled && !config.monitoring.enabled
    ? [
        "autoscaling is on but monitoring.enabled is false: no ServiceMonitor scrapes the app, so unless your Prometheus " +
          "scrapes it with namespace and service labels, the autoscaler sees no connections and scales on CPU alone.",
      ]
    : [];

const adapterDeprecation: PlatformWarning = (config) =>
  config.autoscaling.enabled && config.autoscaling.engine === "prometheus-adapter"
    ? [
        "autoscaling.engine prometheus-adapter: its maintainers propose deprecating it in favour of KEDA " +
          "(kubernetes-sigs/prometheus-adapter#701); keda is the default engine.",
      ]
    : [];

/** The adapter chart signs its APIService certificate with cert-manager; with TLS off this platform installs none. */
const adapterWithoutCertManager: PlatformWarning = (config) =>
  config.autoscaling.enabled && config.autoscaling.engine === "prometheus-adapter" && config.autoscaling.install && !config.tls.enabled
    ? [
        "autoscaling.engine prometheus-adapter: its chart needs cert-manager for the custom-metrics APIService certificate, " +
          "and tls.enabled is false, so this platform installs none: the adapter release fails unless the cluster already runs cert-manager.",
      ]
    : [];

export const autoscalingWarnings: PlatformWarning[] = [scaledButNotScraped, adapterDeprecation, adapterWithoutCertManager];
