import { appRules } from "./app";
import { ingressRules, ingressWarnings } from "./ingress";
import { PlatformRule, PlatformWarning } from "./types";

/** Every cross-section rule, one file per part; a part adds its list here. */
export const platformRules: PlatformRule[] = [...appRules, ...ingressRules];

/** Every preview warning, one file per part. */
export const platformWarnings: PlatformWarning[] = [...ingressWarnings];
