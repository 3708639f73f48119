import { appRules } from "./app";
import { meshRules, meshWarnings } from "./mesh";
import { PlatformRule, PlatformWarning } from "./types";

/** Every cross-section rule, one file per part; a part adds its list here. */
export const platformRules: PlatformRule[] = [...appRules, ...meshRules];

/** Every preview warning, one file per part. */
export const platformWarnings: PlatformWarning[] = [...meshWarnings];
