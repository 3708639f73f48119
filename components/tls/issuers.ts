import type { IIssuer } from "@kubernetes-models/cert-manager/cert-manager.io/v1/Issuer" with { "resolution-mode": "import" };
import type { IACMEChallengeSolver } from "@kubernetes-models/cert-manager/acme.cert-manager.io/v1/ACMEChallengeSolver" with { "resolution-mode": "import" };
import { TlsIssuerName } from "../config/schema/tls";

export type IssuerSpec = IIssuer["spec"];
export type AcmeSolver = IACMEChallengeSolver;

/** ACME directories of Let's Encrypt. */
export const acmeServers = {
  "letsencrypt-staging": "https://acme-staging-v02.api.letsencrypt.org/directory",
  letsencrypt: "https://acme-v02.api.letsencrypt.org/directory",
} as const satisfies Record<Exclude<TlsIssuerName, "selfsigned">, string>;

export function isAcmeIssuer(issuer: TlsIssuerName): issuer is keyof typeof acmeServers {
  return issuer !== "selfsigned";
}

/** An ACME issuer with one solver; its account key lives in a Secret cert-manager creates. */
export function acmeIssuerSpec(args: { issuer: keyof typeof acmeServers; email: string; accountKeySecretName: string; solver: AcmeSolver }): IssuerSpec {
  return {
    acme: {
      server: acmeServers[args.issuer],
      email: args.email,
      privateKeySecretRef: { name: args.accountKeySecretName },
      solvers: [args.solver],
    },
  };
}

/** The self-signed issuer that signs only the private root CA (cert-manager's CA bootstrap). */
export const selfSignedIssuerSpec: IssuerSpec = { selfSigned: {} };

/** The CA issuer that signs the hosts' certificates with the root CA. */
export function caIssuerSpec(caSecretName: string): IssuerSpec {
  return { ca: { secretName: caSecretName } };
}
