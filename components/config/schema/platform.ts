import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { inputOf } from "../pulumiInput";
import { Environment, defaultEnvironment, environmentSchema } from "../environment";
import { AppArgs, appEnvironmentDefaults, appSchema } from "./app";
import { AutoscalingArgs, autoscalingEnvironmentDefaults, autoscalingSchema } from "./autoscaling";
import { SameShape, dnsLabel } from "./common";
import { IngressArgs, ingressEnvironmentDefaults, ingressSchema } from "./ingress";
import { MeshArgs, meshEnvironmentDefaults, meshSchema } from "./mesh";
import { MonitoringArgs, monitoringEnvironmentDefaults, monitoringSchema } from "./monitoring";
import { NetworkPolicyArgs, networkPolicyEnvironmentDefaults, networkPolicySchema } from "./networkPolicy";
import { SmokeTestArgs, smokeTestEnvironmentDefaults, smokeTestSchema } from "./smokeTest";
import { TlsArgs, tlsEnvironmentDefaults, tlsSchema } from "./tls";

/** Everything one WebSocket platform needs: stack config `websocket-platform:*`, or WebSocketPlatform's args. */
export interface PlatformArgs {
  /** dev, staging or prod: picks the defaults of every other key. */
  environment?: Environment;
  /** Namespace the app runs in (may be an Output, checked when it resolves). */
  namespace?: pulumi.Input<string>;
  app: AppArgs;
  ingress: IngressArgs;
  tls?: TlsArgs;
  mesh?: MeshArgs;
  autoscaling?: AutoscalingArgs;
  monitoring?: MonitoringArgs;
  networkPolicy?: NetworkPolicyArgs;
  smokeTest?: SmokeTestArgs;
}

export const platformSchema = z.strictObject({
  environment: environmentSchema.default(defaultEnvironment).describe("dev, staging or prod: picks the defaults of every other key; unset means prod, the strictest."),
  namespace: inputOf(dnsLabel).default("websocket").describe("Namespace the app runs in, created with Pod Security restricted labels."),
  app: appSchema.describe("The WebSocket application."),
  ingress: ingressSchema.describe("The ingress controller and the route to the app."),
  tls: tlsSchema.default(() => tlsSchema.parse({})).describe("TLS through cert-manager."),
  mesh: meshSchema.default(() => meshSchema.parse({})).describe("Service mesh enrolment."),
  autoscaling: autoscalingSchema.default(() => autoscalingSchema.parse({})).describe("Autoscaling on live connections."),
  monitoring: monitoringSchema.default(() => monitoringSchema.parse({})).describe("ServiceMonitor, alerts and dashboard."),
  networkPolicy: networkPolicySchema.default(() => networkPolicySchema.parse({})).describe("Least-privilege NetworkPolicies."),
  smokeTest: smokeTestSchema.default(() => smokeTestSchema.parse({})).describe("Smoke test through the ingress."),
});

export type PlatformSettings = z.output<typeof platformSchema>;
const platformShapeMatches: SameShape<z.input<typeof platformSchema>, PlatformArgs> = true;
void platformShapeMatches;

/** The defaults that depend on the environment, per section, in one table. */
export const environmentDefaults = {
  app: appEnvironmentDefaults,
  ingress: ingressEnvironmentDefaults,
  tls: tlsEnvironmentDefaults,
  mesh: meshEnvironmentDefaults,
  autoscaling: autoscalingEnvironmentDefaults,
  monitoring: monitoringEnvironmentDefaults,
  networkPolicy: networkPolicyEnvironmentDefaults,
  smokeTest: smokeTestEnvironmentDefaults,
} as const;
