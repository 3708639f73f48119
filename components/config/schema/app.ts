import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { EnvironmentDefaults } from "../environment";
import { inputOf } from "../pulumiInput";
import { SameShape, dns1035Label, httpPath, port, quantity } from "./common";

/** Tag and digest of an image reference; a registry port (`host:5000/x`) is not a tag. */
export function imageReferenceParts(ref: string): { tag?: string; digest?: string } {
  const [name, digest] = ref.split("@");
  const lastSegment = name.split("/").pop() ?? "";
  const colon = lastSegment.lastIndexOf(":");
  return { tag: colon === -1 ? undefined : lastSegment.slice(colon + 1), digest };
}

// Guide correction: no :latest with imagePullPolicy Always as in the guide; a pinned tag or digest.
/** A tag other than `latest`, or a digest: a rollout must not change what runs without a change here. */
export const pinnedImage = z
  .string()
  // Repository lowercase, but a tag may hold upper case and `_` (distribution reference grammar: [\w][\w.-]{0,127}).
  .regex(/^[a-z0-9][a-z0-9._\/:-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$/, "an image reference such as ghcr.io/acme/chat:1.4.2")
  .refine(
    (ref) => {
      const { tag, digest } = imageReferenceParts(ref);
      return digest !== undefined || (tag !== undefined && tag !== "" && tag !== "latest");
    },
    { message: "a pinned image: repository:tag with a tag other than latest, or repository@sha256:<digest>" },
  );

export interface ResourceArgs {
  cpu?: string;
  memory?: string;
}

export interface ResourcesArgs {
  requests?: ResourceArgs;
  limits?: ResourceArgs;
}

export interface HealthArgs {
  /** Liveness and startup probes: is the process able to serve at all. */
  livenessPath?: string;
  /** Readiness probe: should it get new connections now (fails at once when draining). */
  readinessPath?: string;
}

export interface DrainArgs {
  /** Seconds the preStop hook waits so endpoints and ingress controllers stop sending new upgrades. */
  preStopSeconds?: number;
  /** Seconds the app may take after SIGTERM to close open connections, spread over this window. */
  windowSeconds?: number;
}

/** What the scheduler does when pods cannot spread evenly. */
export const WhenUnsatisfiable = { DoNotSchedule: "DoNotSchedule", ScheduleAnyway: "ScheduleAnyway" } as const;
export type WhenUnsatisfiable = (typeof WhenUnsatisfiable)[keyof typeof WhenUnsatisfiable];

export interface SpreadArgs {
  /** Spread over nodes. */
  nodes?: WhenUnsatisfiable;
  /** Spread over zones. */
  zones?: WhenUnsatisfiable;
}

export interface DisruptionBudgetArgs {
  /** Pods that may be evicted at once by voluntary disruptions (drains, upgrades). */
  maxUnavailable?: number;
}

/** Arguments of the WebSocket application: `app` in stack config, or WebSocketApp's args. */
export interface AppArgs {
  /** Name of the app: Deployment, Service and labels derive from it. */
  name?: string;
  /** Container image, pinned by a tag other than latest or by digest. */
  image: pulumi.Input<string>;
  /** Replica count when no autoscaler owns it. */
  replicas?: number;
  /** Container port serving WebSocket upgrades and health endpoints. */
  port?: number;
  /** Container port serving Prometheus metrics. */
  metricsPort?: number;
  /** Longest time one WebSocket connection is expected to stay open; every timeout on the path is at least this. */
  connectionLifetimeSeconds?: number;
  /** Connections one pod accepts before it refuses upgrades. */
  maxConnectionsPerPod?: number;
  /** Interval of WebSocket ping frames that keep idle connections open through proxies. */
  heartbeatSeconds?: number;
  health?: HealthArgs;
  drain?: DrainArgs;
  resources?: ResourcesArgs;
  spread?: SpreadArgs;
  disruptionBudget?: DisruptionBudgetArgs;
  /** Extra environment variables for the container; values may be Outputs (secrets stay secret). */
  env?: Record<string, pulumi.Input<string>>;
  /** Environment variables taken from keys of existing Secrets in the app's namespace (never the value itself). */
  envFromSecrets?: Record<string, SecretKeySelectorArgs>;
  /** Pending TCP connections the kernel queues for the WebSocket port (capped by the node's net.core.somaxconn). */
  listenBacklog?: number;
  /** Bytes queued for one connection and not yet sent; past it the server closes the connection (1013). */
  maxBufferedBytesPerConnection?: number;
}

/** A key of a Secret in the app's namespace. */
export interface SecretKeySelectorArgs {
  /** Name of the Secret. */
  name: string;
  /** Key inside the Secret's data. */
  key: string;
}

const whenUnsatisfiable = z.enum(WhenUnsatisfiable);
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "a variable name: letters, digits and _, not starting with a digit");
/** A Secret name: an RFC 1123 subdomain. */
const dnsSubdomain = z.string().max(253).regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, "a Secret name: lowercase RFC 1123 subdomain");

export const appSchema = z
  .strictObject({
    name: dns1035Label.max(40).default("websocket-app").describe("Name of the app; object names, the Service's included, derive from it (RFC 1035: starts with a letter; at most 40 characters)."),
    image: inputOf(pinnedImage).describe("Container image, pinned: repository:tag (not latest) or repository@sha256:digest."),
    replicas: z.number().int().min(1).max(1000).default(3).describe("Replica count when no autoscaler owns it."),
    port: port.default(8080).describe("Container port for WebSocket upgrades and health endpoints."),
    metricsPort: port.default(9090).describe("Container port for Prometheus metrics."),
    connectionLifetimeSeconds: z
      .number()
      .int()
      .min(60)
      .max(86400)
      .default(3600)
      .describe("Longest expected life of one connection, in seconds; every timeout on the path is at least this."),
    maxConnectionsPerPod: z.number().int().min(1).max(1_000_000).default(10000).describe("Connections one pod accepts."),
    heartbeatSeconds: z.number().int().min(5).max(300).default(30).describe("Interval of WebSocket pings, in seconds."),
    health: z
      .strictObject({
        livenessPath: httpPath.default("/livez").describe("HTTP path of the liveness and startup probes."),
        readinessPath: httpPath.default("/readyz").describe("HTTP path of the readiness probe."),
      })
      .default({ livenessPath: "/livez", readinessPath: "/readyz" }),
    drain: z
      .strictObject({
        // At least 1: without a wait, SIGTERM lands while endpoints and controllers still send new upgrades.
        preStopSeconds: z.number().int().min(1).max(120).default(10).describe("preStop wait before SIGTERM, in seconds (at least 1, while endpoints drop the pod)."),
        windowSeconds: z.number().int().min(1).max(3600).default(30).describe("Seconds to close open connections after SIGTERM."),
      })
      .default({ preStopSeconds: 10, windowSeconds: 30 }),
    resources: z
      .strictObject({
        requests: z
          .strictObject({
            cpu: quantity.default("250m").describe("CPU request per pod."),
            memory: quantity.default("256Mi").describe("Memory request per pod."),
          })
          .default({ cpu: "250m", memory: "256Mi" }),
        limits: z
          .strictObject({
            cpu: quantity.optional().describe("CPU limit per pod; unset by default (throttling stalls heartbeats)."),
            memory: quantity.default("512Mi").describe("Memory limit per pod."),
          })
          .default({ memory: "512Mi" }),
      })
      .default({ requests: { cpu: "250m", memory: "256Mi" }, limits: { memory: "512Mi" } })
      .describe("Container resources; no CPU limit by default (throttling stalls heartbeats)."),
    spread: z
      .strictObject({
        nodes: whenUnsatisfiable.default("DoNotSchedule").describe("Spread over nodes: DoNotSchedule or ScheduleAnyway."),
        zones: whenUnsatisfiable.default("ScheduleAnyway").describe("Spread over zones: DoNotSchedule or ScheduleAnyway."),
      })
      .default({ nodes: "DoNotSchedule", zones: "ScheduleAnyway" }),
    disruptionBudget: z
      .strictObject({
        maxUnavailable: z.number().int().min(1).max(1000).default(1).describe("Pods evictable at once by voluntary disruptions."),
      })
      .default({ maxUnavailable: 1 }),
    env: z.record(envName, inputOf(z.string())).default({}).describe("Extra environment variables (values may be Outputs or secrets)."),
    envFromSecrets: z
      .record(
        envName,
        z.strictObject({
          name: dnsSubdomain.describe("Name of an existing Secret in the app's namespace."),
          key: z.string().regex(/^[-._a-zA-Z0-9]+$/, "a Secret data key: letters, digits, '-', '_' and '.'").describe("Key inside the Secret."),
        }),
      )
      .default({})
      .describe("Environment variables from keys of existing Secrets (secretKeyRef)."),
    // 511: Node's own default backlog; 65535 is the largest net.core.somaxconn.
    listenBacklog: z.number().int().min(1).max(65535).default(511).describe("Pending connections queued for the WebSocket port (capped by net.core.somaxconn)."),
    // At least two messages of the reference server's 64 KiB maximum, so one echo never trips the cap on its own; default four.
    maxBufferedBytesPerConnection: z
      .number()
      .int()
      .min(131072)
      .max(64 * 1024 * 1024)
      .default(262144)
      .describe("Bytes queued for one connection before the server closes it (1013); at least 131072."),
  })
  .superRefine((app, ctx) => {
    if (app.port === app.metricsPort) {
      ctx.addIssue({ code: "custom", path: ["metricsPort"], message: `a port other than app.port (${app.port})` });
    }
  });

export type AppSettings = z.output<typeof appSchema>;
const appShapeMatches: SameShape<z.input<typeof appSchema>, AppArgs> = true;
void appShapeMatches;

export const appEnvironmentDefaults: EnvironmentDefaults<Partial<AppArgs>> = {
  dev: { replicas: 1, resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "128Mi" } }, spread: { nodes: "ScheduleAnyway" } },
  staging: { replicas: 2 },
  prod: { replicas: 3 },
};
