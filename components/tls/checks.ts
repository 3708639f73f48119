import { Environment } from "../config/environment";
import { RuleProblem } from "../config/rules/types";
import { TlsSettings } from "../config/schema/tls";

/** Hosts such as `*.example.com`. */
export function wildcardHosts(hosts: readonly string[]): string[] {
  return hosts.filter((h) => h.startsWith("*."));
}

/**
 * Let's Encrypt validates wildcard names only over DNS-01: an HTTP-01 challenge for `*.example.com` can never
 * succeed, so the combination is refused before anything is created. Paths are relative to the `tls` section.
 * (The guide asks for `*.ws.example.com` from an HTTP-01 ClusterIssuer, which can never issue.)
 */
export function wildcardNeedsDns01(tls: TlsSettings, hosts: readonly string[]): RuleProblem[] {
  const wildcards = wildcardHosts(hosts);
  if (!tls.enabled || tls.issuer === "selfsigned" || tls.solver !== "http01" || wildcards.length === 0) return [];
  return [
    {
      path: ["solver"],
      given: tls.solver,
      allowed: `"dns01": HTTP-01 cannot issue wildcard certificates (${wildcards.join(", ")}); set tls.solver to dns01 and configure tls.dns01`,
    },
  ];
}

/** TLS off in staging or prod only with the explicit acknowledgement. Paths are relative to the `tls` section. */
export function plaintextNeedsAcknowledgement(tls: TlsSettings, environment: Environment): RuleProblem[] {
  if (tls.enabled || environment === "dev" || tls.allowPlaintextOutsideDev) return [];
  return [
    {
      path: ["enabled"],
      given: false,
      allowed: `true in ${environment}; to serve plain ws:// there anyway, also set tls.allowPlaintextOutsideDev to true`,
    },
  ];
}

/** The preview warning for an acknowledged plaintext stack outside dev. */
export function plaintextWarning(tls: TlsSettings, environment: Environment): string[] {
  if (tls.enabled || environment === "dev") return [];
  return [
    `TLS is off in ${environment} (tls.enabled=false, tls.allowPlaintextOutsideDev=true): clients connect with ws:// ` +
      "and every message crosses the network in clear text.",
  ];
}
