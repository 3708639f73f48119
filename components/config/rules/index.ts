import { appRules } from "./app";
import { smokeTestRules, smokeTestWarnings } from "./smokeTest";
import { tlsRules, tlsWarnings } from "./tls";
import { PlatformRule, PlatformWarning } from "./types";

/** Every cross-section rule, one file per part; a part adds its list here. */
export const platformRules: PlatformRule[] = [...appRules, ...tlsRules, ...smokeTestRules];

/** Every preview warning, one file per part. */
export const platformWarnings: PlatformWarning[] = [...tlsWarnings, ...smokeTestWarnings];
