import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { EnvironmentDefaults } from "../environment";
import { anyOrigin, normalizeOrigin } from "../../app/origin";
import { FreeformValues, SameShape, dnsLabel, hostName } from "./common";
import { inputOf } from "../pulumiInput";
import { manifestUrl } from "./manifestUrl";

/** Ingress controllers a platform can install and route through (one strategy file each under components/ingress/). */
export const IngressControllerName = {
  nginx: "nginx",
  traefik: "traefik",
  haproxy: "haproxy",
  nginxGatewayFabric: "nginx-gateway-fabric",
  istio: "istio",
} as const;
export type IngressControllerName = (typeof IngressControllerName)[keyof typeof IngressControllerName];

/** Which API the route uses: the controller's own (Ingress, IngressRoute) or Gateway API (Gateway + HTTPRoute). */
export const IngressApi = { native: "native", gateway: "gateway" } as const;
export type IngressApi = (typeof IngressApi)[keyof typeof IngressApi];

/** Requests per second each client IP may send to the route. */
export interface IngressRateLimitArgs {
  /** Average requests per second per client IP. */
  requestsPerSecond: number;
  /** Requests allowed above the average in a burst. */
  burst?: number;
}

/** CORS for browsers on other origins; off unless origins are listed. */
export interface IngressCorsArgs {
  /** Origins allowed, e.g. https://app.example.com; "*" only with allowAnyOrigin. */
  allowOrigins: string[];
  /** Allow "*" in allowOrigins (the policy pack's no-wildcard-cors policy must be lowered too). */
  allowAnyOrigin?: boolean;
  /** Whether browsers may send cookies and credentials (never together with "*"). */
  allowCredentials?: boolean;
  /** Methods allowed in preflight answers. */
  allowMethods?: string[];
  /** Request headers allowed in preflight answers. */
  allowHeaders?: string[];
  /** Seconds a preflight answer may be cached. */
  maxAgeSeconds?: number;
}

/** What the cluster part decides about the ingress controller: installed once, shared by every app. */
export interface IngressControllerArgs {
  /** Which controller receives the WebSocket traffic. */
  controller?: IngressControllerName;
  /** native (the controller's own route API) or gateway (Gateway API Gateway + HTTPRoute). */
  api?: IngressApi;
  /** Namespace the controller is installed in (default: one per controller, e.g. ingress-nginx). */
  namespace?: string;
  /** IngressClass / GatewayClass name (default: the controller's usual one, e.g. nginx). */
  className?: string;
  /** Name of an existing GatewayClass to use instead of installing the controller (Gateway API only). */
  gatewayClassName?: string;
  /** Install the pinned Gateway API CRDs (standard channel) when the route is Gateway API. */
  installGatewayApiCrds?: boolean;
  /** Where to fetch that manifest instead of GitHub (a mirror of the same release): https, or http only to a loopback host. */
  gatewayApiCrdsUrl?: string;
  /** Controller (data-plane) replicas; a PodDisruptionBudget is added from 2. */
  replicas?: number;
  /** Helm values for what this package does not model, deep-merged over ours. */
  values?: FreeformValues;
  /** Seconds a stopping controller pod keeps serving its open connections (after its preStop wait) before it closes them. */
  drainSeconds?: number;
}

/** What each app decides about its own route. */
export interface IngressRouteArgs {
  /** Public host names the app answers on (each, or the whole list, may be an Output: checked when it resolves). */
  hosts: pulumi.Input<pulumi.Input<string>[]>;
  /** Seconds the controller waits to open a connection to a pod. */
  connectTimeoutSeconds?: number;
  /** Cookie-based stickiness to one pod, for reconnects that must land on the same pod. */
  sessionAffinity?: boolean;
  rateLimit?: IngressRateLimitArgs;
  /** Concurrent connections one client IP may hold. */
  maxConnectionsPerClient?: number;
  cors?: IngressCorsArgs;
  /**
   * Origins (scheme://host[:port]) whose pages may open the WebSocket; "*" alone for any. Default: the public hosts'
   * own origins (https:// with TLS, http:// without). Checked at the edge where the controller can, and by the app.
   */
  allowedOrigins?: string[];
  /** Accept upgrades without an Origin header (native clients send none; browsers always do). Default: true in dev only. */
  allowMissingOrigin?: boolean;
}

/** Arguments of the ingress part of a one-app platform: `ingress` in stack config. */
export interface IngressArgs extends IngressControllerArgs, IngressRouteArgs {}

const origin = z
  .string()
  .regex(/^(\*|https?:\/\/(\*\.)?[a-z0-9.-]+(:[0-9]{1,5})?)$/, 'an origin such as https://app.example.com (or "*")');
const headerToken = z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, "an HTTP token such as GET or Content-Type");

/** Host names an origin may carry into a route rule: DNS names (punycode) or bracketed IPv6, nothing a rule language could read as syntax. */
const edgeSafeOrigin = /^[a-z][a-z0-9+.-]*:\/\/([a-z0-9.-]+|\[[0-9a-f:.]+\])(:[0-9]{1,5})?$/;
const allowedOrigin = z
  .string()
  .refine((value) => value === anyOrigin || edgeSafeOrigin.test(normalizeOrigin(value) ?? ""), {
    message: 'an exact origin scheme://host[:port] such as https://app.example.com (no path, no trailing slash, not "null"), or "*" alone for any',
  });

/** The controller keys (cluster part). */
export const ingressControllerShape = {
  controller: z.enum(IngressControllerName).default("traefik").describe("Ingress controller: nginx, traefik, haproxy, nginx-gateway-fabric or istio."),
  api: z.enum(IngressApi).default("native").describe("Route API: native (Ingress / IngressRoute) or gateway (Gateway API); nginx-gateway-fabric is always gateway."),
  namespace: dnsLabel.optional().describe("Namespace of the controller (default per controller: ingress-nginx, traefik, haproxy-controller, nginx-gateway)."),
  className: dnsLabel.optional().describe("IngressClass or GatewayClass name (default per controller: nginx, traefik, haproxy, nginx)."),
  gatewayClassName: dnsLabel.optional().describe("An existing GatewayClass to route through; nothing is installed (Gateway API only)."),
  installGatewayApiCrds: z.boolean().default(true).describe("Install the pinned Gateway API standard CRDs when the route is Gateway API."),
  gatewayApiCrdsUrl: manifestUrl
    .optional()
    .describe("Mirror of the pinned Gateway API standard-install.yaml to apply instead of GitHub's (https; http only to a loopback host); default: the GitHub release URL."),
  replicas: z.number().int().min(1).max(50).default(2).describe("Controller data-plane replicas; at least 2 outside dev (with a PodDisruptionBudget)."),
  values: z.record(z.string(), z.unknown()).default({}).describe("Helm values deep-merged over ours, for what is not modelled here."),
  // 300 s: ingress-nginx's long-standing drain default, and under cluster-autoscaler's 600 s cap on graceful termination at scale-down.
  drainSeconds: z
    .number()
    .int()
    .min(1)
    .max(3600)
    .default(300)
    .describe("Seconds a stopping controller pod keeps serving its open connections before closing them (rollouts, node drains)."),
};

/** The route keys (app part). */
export const ingressRouteShape = {
  hosts: inputOf(z.array(inputOf(hostName)).min(1)).describe("Public host names of the app, e.g. [ws.example.com] (may be Outputs)."),
  connectTimeoutSeconds: z.number().int().min(1).max(300).default(5).describe("Seconds to open a connection to a pod (NGINX-based controllers: at most 75)."),
  sessionAffinity: z.boolean().default(false).describe("Sticky cookie to one pod (nginx, traefik, haproxy)."),
  rateLimit: z
    .strictObject({
      requestsPerSecond: z.number().int().min(1).max(100000).describe("Average requests per second per client IP."),
      burst: z.number().int().min(0).max(100000).optional().describe("Requests allowed above the average in a burst."),
    })
    .optional()
    .describe("Request rate limit per client IP; off when absent."),
  maxConnectionsPerClient: z.number().int().min(1).max(100000).optional().describe("Concurrent connections per client IP; off when absent."),
  // Guide correction: CORS off unless origins are listed; the guide's "*" with Authorization is unsafe.
  cors: z
    .strictObject({
      allowOrigins: z.array(origin).min(1).describe('Allowed origins, e.g. [https://app.example.com]; "*" only with allowAnyOrigin.'),
      allowAnyOrigin: z
        .boolean()
        .default(false)
        .describe('Allow "*" in allowOrigins: any site\'s script may open the socket (the policy pack\'s no-wildcard-cors must be lowered too).'),
      allowCredentials: z.boolean().default(false).describe("Allow cookies and credentials (never with \"*\")."),
      allowMethods: z.array(headerToken).min(1).default(["GET", "OPTIONS"]).describe("Methods allowed in preflight answers."),
      allowHeaders: z
        .array(headerToken)
        .default(["Authorization", "Content-Type", "Sec-WebSocket-Protocol"])
        .describe("Request headers allowed in preflight answers."),
      maxAgeSeconds: z.number().int().min(0).max(86400).default(600).describe("Seconds a preflight answer may be cached."),
    })
    .optional()
    .describe("CORS for the listed origins; off when absent."),
  allowedOrigins: z
    .array(allowedOrigin)
    .min(1)
    // One HTTPRoute rule holds at most 64 matches (CRD maxItems), one per origin.
    .max(64)
    .refine((origins) => !origins.includes(anyOrigin) || origins.length === 1, { message: '"*" alone (any origin), or exact origins without "*"' })
    .optional()
    .describe('Origins whose pages may open the WebSocket (exact scheme://host[:port], or "*" alone); default: each ingress.hosts entry as https://host (http:// without TLS); a *.wildcard host adds none.'),
  allowMissingOrigin: z
    .boolean()
    .default(false)
    .describe("Accept upgrades without an Origin header (native clients); default true in dev only."),
};

export const ingressSchema = z.strictObject({ ...ingressControllerShape, ...ingressRouteShape });

export type IngressSettings = z.output<typeof ingressSchema>;
const ingressShapeMatches: SameShape<z.input<typeof ingressSchema>, IngressArgs> = true;
void ingressShapeMatches;

/** Route defaults per environment: the hosts' own origins everywhere; dev also lets native tools (no Origin) in. */
export const ingressRouteEnvironmentDefaults: EnvironmentDefaults<Partial<IngressRouteArgs>> = {
  // Not any origin in dev: a dev stack on a shared domain is as open to a foreign page as prod; list a local page's origin.
  dev: { allowMissingOrigin: true },
  staging: {},
  prod: {},
};

export const ingressEnvironmentDefaults: EnvironmentDefaults<Partial<IngressArgs>> = {
  dev: { replicas: 1, ...ingressRouteEnvironmentDefaults.dev },
  staging: { replicas: 2, ...ingressRouteEnvironmentDefaults.staging },
  prod: { replicas: 2, ...ingressRouteEnvironmentDefaults.prod },
};
