import { PlatformSettings } from "../schema/platform";

/** A problem found by looking at several sections together; the path is the key to name in the error. */
export interface RuleProblem {
  path: (string | number)[];
  given: unknown;
  allowed: string;
}

/** A check across sections that a single section's schema cannot express. */
export type PlatformRule = (config: PlatformSettings) => RuleProblem[];

/** Something valid but worth a word at preview (a retired controller, TLS off outside dev). */
export type PlatformWarning = (config: PlatformSettings) => string[];
