import type { ResourceValidationPolicy } from "@pulumi/policy";
import { resourcePolicy } from "../lib/define";
import { PolicySubject, walk } from "../lib/resources";

const skipVerifyKey = /^insecure-?skip-?(tls-?)?verify$/i;
const skipVerifyFlag = /insecure-?skip-?(tls-?)?verify(=true)?$/i;

/**
 * Every switch that turns certificate verification off: the `insecureSkipVerify` field of Traefik ServersTransport
 * and Istio DestinationRule TLS settings (or any like-named field, e.g. in Helm values), and `--…insecureSkipVerify`
 * command-line flags.
 */
export function insecureSkipVerifyFindings(subject: PolicySubject): string[] {
  const found: string[] = [];
  for (const [path, value] of walk(subject.props)) {
    const key = path.split(".").pop()?.replace(/\[\d+\]$/, "") ?? "";
    if (skipVerifyKey.test(key) && (value === true || value === "true")) found.push(path);
    if (typeof value === "string" && value.startsWith("--") && skipVerifyFlag.test(value.split("=")[0]) && !/=false$/i.test(value)) found.push(`${path} (${value})`);
  }
  return found;
}

export function noInsecureSkipVerifyPolicy(): ResourceValidationPolicy {
  return resourcePolicy(
    {
      name: "no-insecure-skip-verify",
      description: "TLS certificate verification stays on everywhere (no insecureSkipVerify).",
      enforcementLevel: "mandatory",
    },
    insecureSkipVerifyFindings,
    (found) => `Certificate verification is turned off at ${found.join(", ")}; give the proxy the CA (rootCAs / caCertificates) instead.`,
  );
}