import { PolicyPack } from "@pulumi/policy";
import { platformPolicies } from "./policies";
import { settingsFromStackConfig } from "./settings";

// The CLI hands a policy pack the stack's config and name (PULUMI_CONFIG, PULUMI_NODEJS_STACK).
const stackConfig = JSON.parse(process.env.PULUMI_CONFIG ?? "{}") as Record<string, string>;
const settings = settingsFromStackConfig(stackConfig, process.env.PULUMI_NODEJS_STACK);

new PolicyPack("websocket-platform", {
  description: "WebSocket readiness and security baseline of the websocket-platform component.",
  policies: platformPolicies(settings),
});
