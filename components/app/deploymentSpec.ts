import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AppSettings } from "../config/schema/app";
import { metricsPortName, webSocketPortName } from "./ports";
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from "./podSecurity";
import { runtimeEnvironment } from "./runtimeEnvironment";
import { drainTimeline } from "./timings";

export interface DeploymentSpecInputs {
  app: AppSettings;
  serviceAccountName: pulumi.Input<string>;
  selector: Record<string, string>;
  podLabels: Record<string, string>;
  podAnnotations: Record<string, string>;
  /** Omit spec.replicas so an autoscaler owns it and a later `pulumi up` does not reset it. */
  replicasOwnedByAutoscaler: boolean;
  /** ALLOWED_ORIGINS and ALLOW_MISSING_ORIGIN (originEnvironment), empty when the app is not told its origins. */
  originEnv: Record<string, pulumi.Input<string>>;
}

function topologySpread(selector: Record<string, string>, app: AppSettings): k8s.types.input.core.v1.TopologySpreadConstraint[] {
  // matchLabelKeys pod-template-hash: a rollout's new pods spread among themselves, not against the old ReplicaSet.
  const constraint = (topologyKey: string, whenUnsatisfiable: string) => ({
    maxSkew: 1,
    topologyKey,
    whenUnsatisfiable,
    labelSelector: { matchLabels: selector },
    matchLabelKeys: ["pod-template-hash"],
  });
  return [constraint("kubernetes.io/hostname", app.spread.nodes), constraint("topology.kubernetes.io/zone", app.spread.zones)];
}

function probes(app: AppSettings) {
  // The metrics listener serves health too, and its accept queue does not fill in a reconnect storm: a full WebSocket backlog must not fail liveness and restart a pod holding thousands of sockets.
  const get = (path: string) => ({ path, port: metricsPortName });
  return {
    // Startup gives a slow start up to 60 s before liveness may restart the pod.
    startupProbe: { httpGet: get(app.health.livenessPath), periodSeconds: 2, failureThreshold: 30, timeoutSeconds: 2 },
    readinessProbe: { httpGet: get(app.health.readinessPath), periodSeconds: 5, failureThreshold: 2, timeoutSeconds: 2 },
    livenessProbe: { httpGet: get(app.health.livenessPath), periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 3 },
  };
}

/** The Deployment spec of a WebSocket app: zero-downtime rollouts, spread, probes and a drain longer than the preStop wait. */
export function deploymentSpec(inputs: DeploymentSpecInputs): k8s.types.input.apps.v1.DeploymentSpec {
  const { app } = inputs;
  const timeline = drainTimeline(app);
  const env = { ...runtimeEnvironment(app), ...inputs.originEnv, ...app.env };
  return {
    ...(inputs.replicasOwnedByAutoscaler ? {} : { replicas: app.replicas }),
    revisionHistoryLimit: 5,
    minReadySeconds: 5,
    // maxUnavailable 0: a rollout adds a ready pod before it drains an old one, so capacity never drops.
    strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
    selector: { matchLabels: inputs.selector },
    template: {
      metadata: { labels: inputs.podLabels, annotations: inputs.podAnnotations },
      spec: {
        serviceAccountName: inputs.serviceAccountName,
        automountServiceAccountToken: false,
        enableServiceLinks: false,
        securityContext: restrictedPodSecurityContext,
        // Guide correction: the grace covers preStop + drain; the guide's 15 s sleep left 15 s of the default 30 s.
        terminationGracePeriodSeconds: timeline.terminationGracePeriodSeconds,
        topologySpreadConstraints: topologySpread(inputs.selector, app),
        containers: [
          {
            name: "app",
            image: app.image,
            imagePullPolicy: "IfNotPresent",
            ports: [
              { name: webSocketPortName, containerPort: app.port, protocol: "TCP" },
              { name: metricsPortName, containerPort: app.metricsPort, protocol: "TCP" },
            ],
            env: [
              ...Object.entries(env).map(([name, value]) => ({ name, value })),
              ...Object.entries(app.envFromSecrets).map(([name, ref]) => ({ name, valueFrom: { secretKeyRef: { name: ref.name, key: ref.key } } })),
            ].sort((a, b) => a.name.localeCompare(b.name)),
            resources: {
              requests: { cpu: app.resources.requests.cpu, memory: app.resources.requests.memory },
              limits: {
                memory: app.resources.limits.memory,
                ...(app.resources.limits.cpu ? { cpu: app.resources.limits.cpu } : {}),
              },
            },
            ...probes(app),
            // The guide's `exec: sh -c "sleep 15"` needs a shell in the image; the sleep action needs none (Kubernetes ≥ 1.30).
            lifecycle: { preStop: { sleep: { seconds: timeline.preStopSeconds } } },
            securityContext: restrictedContainerSecurityContext,
            volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
          },
        ],
        volumes: [{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }],
      },
    },
  };
}
