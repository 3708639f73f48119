import { Dns01Settings } from "../config/schema/tls";
import { AcmeSolver } from "./issuers";

/** DNS-01 solver: credentials only as references to Secrets in the Issuer's namespace. */
export function dns01Solver(dns01: Dns01Settings): AcmeSolver {
  if (dns01.provider === "cloudflare" && dns01.cloudflare) {
    return { dns01: { cloudflare: { apiTokenSecretRef: { ...dns01.cloudflare.apiTokenSecretRef } } } };
  }
  if (dns01.provider === "route53" && dns01.route53) {
    const r = dns01.route53;
    return {
      dns01: {
        route53: {
          region: r.region,
          ...(r.hostedZoneID ? { hostedZoneID: r.hostedZoneID } : {}),
          ...(r.role ? { role: r.role } : {}),
          accessKeyIDSecretRef: { ...r.accessKeyIDSecretRef },
          secretAccessKeySecretRef: { ...r.secretAccessKeySecretRef },
        },
      },
    };
  }
  throw new Error(`tls.dns01.${dns01.provider} is missing (the schema should have refused this config)`);
}

/** HTTP-01 solver from the controller strategy's solver body (ingressClassName or gatewayHTTPRoute). */
export function http01Solver(body: Record<string, unknown>): AcmeSolver {
  return { http01: body as AcmeSolver["http01"] };
}
