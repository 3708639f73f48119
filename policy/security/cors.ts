import type { ResourceValidationPolicy } from "@pulumi/policy";
import { resourcePolicy } from "../lib/define";
import { PolicySubject, isKind, metadataOf } from "../lib/resources";
// One rule for "every origin", shared with the program's config check (dependency-free).
import { anyOriginConfigKey, isAnyOrigin, isAnyOriginPattern, wildcardCorsPolicyName } from "../../components/config/rules/corsOrigins";

/** Every place a resource lets any origin make credentialed cross-origin requests, as short phrases. */
export function wildcardCorsFindings(subject: PolicySubject): string[] {
  const found: string[] = [];
  const a = metadataOf(subject).annotations;
  // ingress-nginx: cors-allow-origin defaults to "*" once enable-cors is on (annotations.md).
  if (a["nginx.ingress.kubernetes.io/enable-cors"] === "true") {
    const origins = (a["nginx.ingress.kubernetes.io/cors-allow-origin"] ?? "*").split(",");
    if (origins.some(isAnyOrigin)) found.push("nginx.ingress.kubernetes.io/cors-allow-origin is * (the default when enable-cors is on)");
  }
  // HAProxy Tech: cors-allow-origin defaults to "*" once cors-enable is on.
  for (const prefix of ["haproxy.org", "haproxy.com", "ingress.kubernetes.io"]) {
    if (a[`${prefix}/cors-enable`] === "true" && isAnyOrigin(a[`${prefix}/cors-allow-origin`] ?? "*")) found.push(`${prefix}/cors-allow-origin is * (the default when cors-enable is on)`);
  }
  const spec = subject.props.spec ?? {};
  if (isKind(subject, "traefik.io", "Middleware")) {
    if ((spec.headers?.accessControlAllowOriginList ?? []).some(isAnyOrigin)) found.push("headers.accessControlAllowOriginList contains *");
    if ((spec.headers?.accessControlAllowOriginListRegex ?? []).some(isAnyOriginPattern)) found.push("headers.accessControlAllowOriginListRegex matches every origin");
  }
  if (isKind(subject, "networking.istio.io", "VirtualService")) {
    (spec.http ?? []).forEach((h: any, i: number) => {
      for (const o of h.corsPolicy?.allowOrigins ?? []) {
        if (isAnyOrigin(o.exact) || o.prefix === "" || isAnyOriginPattern(o.regex)) found.push(`http[${i}].corsPolicy.allowOrigins allows every origin`);
      }
    });
  }
  if (isKind(subject, "gateway.networking.k8s.io", "HTTPRoute")) {
    (spec.rules ?? []).forEach((r: any, i: number) => {
      for (const f of r.filters ?? []) if ((f.cors?.allowOrigins ?? []).some(isAnyOrigin)) found.push(`rules[${i}] CORS filter allowOrigins contains *`);
    });
  }
  return found;
}

export function noWildcardCorsPolicy(): ResourceValidationPolicy {
  return resourcePolicy(
    {
      name: wildcardCorsPolicyName,
      description: "CORS names the allowed origins; a wildcard lets any site's script talk to the app with the user's browser.",
      enforcementLevel: "mandatory",
    },
    wildcardCorsFindings,
    (found) =>
      `Wildcard CORS origin: ${found.join("; ")}; list the allowed origins instead ` +
      `(a stack that means it sets ${anyOriginConfigKey}: true and lowers this policy's enforcementLevel).`,
  );
}