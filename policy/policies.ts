import type { Policies } from "@pulumi/policy";
import { defaultDenyPolicy } from "./security/defaultDeny";
import { noWildcardCorsPolicy } from "./security/cors";
import { noInsecureSkipVerifyPolicy } from "./security/insecureSkipVerify";
import { pinnedImagesPolicy } from "./security/pinnedImages";
import { podSecurityPolicy } from "./security/podSecurity";
import { noSnippetsPolicy } from "./security/snippets";
import { tlsOutsideDevPolicy } from "./security/tls";
import { PolicySettings } from "./settings";
import { affinityPolicy } from "./websocket/affinity";
import { disruptionBudgetPolicy } from "./websocket/disruptionBudget";
import { drainWindowPolicy } from "./websocket/drainWindow";
import { routeTimeoutsPolicy } from "./websocket/routeTimeouts";

/** WebSocket readiness: connections survive the proxies, the mesh and rollouts. */
export function webSocketReadinessPolicies(settings: PolicySettings): Policies {
  return [routeTimeoutsPolicy(settings), affinityPolicy(), disruptionBudgetPolicy(), drainWindowPolicy(settings)];
}

/** Security baseline of the platform. */
export function securityPolicies(settings: PolicySettings): Policies {
  return [podSecurityPolicy(), noSnippetsPolicy(), noWildcardCorsPolicy(), noInsecureSkipVerifyPolicy(), pinnedImagesPolicy(), tlsOutsideDevPolicy(settings), defaultDenyPolicy(settings)];
}

export function platformPolicies(settings: PolicySettings): Policies {
  return [...webSocketReadinessPolicies(settings), ...securityPolicies(settings)];
}
