import { PlatformRule, PlatformWarning } from "./types";

/** The self-signed issuer's CA is mounted for the check; the Job takes one extra CA source. */
export const smokeTestRules: PlatformRule[] = [
  (config) =>
    config.smokeTest.enabled && config.tls.enabled && config.tls.issuer === "selfsigned" && config.smokeTest.caPem !== undefined
      ? [{ path: ["smokeTest", "caPem"], given: "PEM text", allowed: "nothing with tls.issuer selfsigned (its CA is trusted already)" }]
      : [],
];

/** Let's Encrypt staging certificates chain to roots no client trusts: the check cannot pass without them. */
export const smokeTestWarnings: PlatformWarning[] = [
  (config) =>
    config.smokeTest.enabled && config.tls.enabled && config.tls.issuer === "letsencrypt-staging" && config.smokeTest.caPem === undefined
      ? [
          "The smoke test will fail certificate verification: tls.issuer letsencrypt-staging signs with roots no client trusts. " +
            "Put Let's Encrypt's staging roots (letsencrypt.org/docs/staging-environment) in smokeTest.caPem, or set smokeTest.enabled=false.",
        ]
      : [],
];
