import { appRules } from "./app";
import { autoscalingRules, autoscalingWarnings } from "./autoscaling";
import { ingressRules, ingressWarnings } from "./ingress";
import { meshRules, meshWarnings } from "./mesh";
import { smokeTestRules, smokeTestWarnings } from "./smokeTest";
import { tlsRules, tlsWarnings } from "./tls";
import { PlatformSettings } from "../schema/platform";
import { PlatformRule, PlatformWarning, RuleProblem } from "./types";

/** Every cross-section rule, one file per part; a part adds its list here. */
const platformRules: PlatformRule[] = [...appRules, ...ingressRules, ...tlsRules, ...meshRules, ...autoscalingRules, ...smokeTestRules];

/** Every preview warning, one file per part. */
const platformWarnings: PlatformWarning[] = [
  ...ingressWarnings,
  ...tlsWarnings,
  ...meshWarnings,
  ...autoscalingWarnings,
  ...smokeTestWarnings,
];

/** What every cross-section rule finds in these settings. */
export function platformProblems(settings: PlatformSettings): RuleProblem[] {
  return platformRules.flatMap((rule) => rule(settings));
}

/** What every preview warning says of these settings. */
export function platformWarningsOf(settings: PlatformSettings): string[] {
  return platformWarnings.flatMap((warn) => warn(settings));
}
