import { appRules } from "./app";
import { autoscalingRules, autoscalingWarnings } from "./autoscaling";
import { PlatformRule, PlatformWarning } from "./types";

/** Every cross-section rule, one file per part; a part adds its list here. */
export const platformRules: PlatformRule[] = [...appRules, ...autoscalingRules];

/** Every preview warning, one file per part. */
export const platformWarnings: PlatformWarning[] = [...autoscalingWarnings];
