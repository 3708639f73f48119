/**
 * What "every origin" looks like in CORS settings, and the one key that allows it. Dependency-free: the config
 * rules and the policy pack's no-wildcard-cors policy (policy/security/cors.ts) share it.
 */

/** The stack-config key that allows `"*"` in `ingress.cors.allowOrigins`. */
export const anyOriginConfigKey = "ingress.cors.allowAnyOrigin";

/** The policy pack's mandatory policy that refuses the same thing in rendered objects. */
export const wildcardCorsPolicyName = "no-wildcard-cors";

/** An origin value that admits every origin. */
export function isAnyOrigin(origin: unknown): boolean {
  return typeof origin === "string" && origin.trim() === "*";
}

/** An origin regular expression that admits every origin (Traefik's list regexes, Istio's `regex` match). */
export function isAnyOriginPattern(pattern: unknown): boolean {
  return typeof pattern === "string" && ["*", ".*", ".+", "^.*$", "^.+$", "^.*", ".*$"].includes(pattern.trim());
}
