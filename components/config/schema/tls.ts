import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { inputOf } from "../pulumiInput";
import { EnvironmentDefaults } from "../environment";
import { FreeformValues, SameShape, dnsLabel } from "./common";

/** Who signs the certificate: Let's Encrypt (staging or production, ACME) or a self-signed CA for dev. */
export const TlsIssuerName = {
  letsencryptStaging: "letsencrypt-staging",
  letsencrypt: "letsencrypt",
  selfSigned: "selfsigned",
} as const;
export type TlsIssuerName = (typeof TlsIssuerName)[keyof typeof TlsIssuerName];

/** How Let's Encrypt checks that we control the hosts. */
export const AcmeSolverName = { http01: "http01", dns01: "dns01" } as const;
export type AcmeSolverName = (typeof AcmeSolverName)[keyof typeof AcmeSolverName];

/** DNS providers cert-manager writes the DNS-01 TXT record to. */
export const Dns01ProviderName = { cloudflare: "cloudflare", route53: "route53" } as const;
export type Dns01ProviderName = (typeof Dns01ProviderName)[keyof typeof Dns01ProviderName];

/** A key of a Kubernetes Secret that already exists in the certificate's namespace. Never the value itself. */
export interface SecretKeyRefArgs {
  /** Name of the Secret. */
  name: string;
  /** Key inside the Secret's data. */
  key?: string;
}

export interface CloudflareDns01Args {
  /** Secret holding a Cloudflare API token with Zone:DNS:Edit and Zone:Zone:Read. */
  apiTokenSecretRef: SecretKeyRefArgs;
}

export interface Route53Dns01Args {
  /** AWS region for the Route53 API client. */
  region: string;
  /** Only manage this hosted zone (no ListHostedZonesByName permission needed). */
  hostedZoneID?: string;
  /** IAM role to assume with the access key. */
  role?: string;
  /** Secret holding the AWS access key ID. */
  accessKeyIDSecretRef: SecretKeyRefArgs;
  /** Secret holding the AWS secret access key. */
  secretAccessKeySecretRef: SecretKeyRefArgs;
}

export interface Dns01Args {
  /** Which DNS provider; its section below must be set. */
  provider: Dns01ProviderName;
  cloudflare?: CloudflareDns01Args;
  route53?: Route53Dns01Args;
}

export interface CertManagerArgs {
  /** Install cert-manager with its Helm chart; false uses the cert-manager already in the cluster. */
  install?: boolean;
  /** Namespace of the cert-manager release. */
  namespace?: string;
  /** Protect the release from `pulumi destroy` (its CRDs own every Certificate in the cluster). */
  protect?: boolean;
  /** Extra chart values for what this package does not model, deep-merged over ours. */
  values?: FreeformValues;
}

export interface HstsArgs {
  /** Seconds browsers remember to use HTTPS only. */
  maxAgeSeconds?: number;
  /** Also cover every subdomain of the hosts. */
  includeSubDomains?: boolean;
}

/** What each app decides about its certificate: `tls` in an app part's args. */
export interface AppTlsArgs {
  /** Serve wss:// with a cert-manager certificate on every host. */
  enabled?: boolean;
  /** The explicit acknowledgement needed to turn TLS off in staging or prod. */
  allowPlaintextOutsideDev?: boolean;
  /** letsencrypt-staging, letsencrypt or selfsigned. */
  issuer?: TlsIssuerName;
  /** Contact address of the ACME account; required for the Let's Encrypt issuers. */
  email?: pulumi.Input<string>;
  /** ACME challenge: http01 through the ingress controller, or dns01 (required for wildcard hosts). */
  solver?: AcmeSolverName;
  dns01?: Dns01Args;
  hsts?: HstsArgs;
  /** Name of the certificate's Secret; derived from the component name when unset. */
  secretName?: string;
}

/** Arguments of the tls through cert-manager part of a one-app platform: `tls` in stack config. */
export interface TlsArgs extends AppTlsArgs {
  certManager?: CertManagerArgs;
}

/** An ACME account contact. */
export const acmeEmail = z.email("an email address such as ops@your-domain.org");

/** A Secret name: an RFC 1123 subdomain. */
const secretName = z
  .string()
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, "a Secret name: lowercase RFC 1123 subdomain");

const secretKeyRef = (defaultKey: string) =>
  z.strictObject({
    name: secretName.describe("Name of an existing Secret in the certificate's namespace."),
    key: z
      .string()
      .regex(/^[-._a-zA-Z0-9]+$/, "a Secret data key: letters, digits, '-', '_' and '.'")
      .default(defaultKey)
      .describe(`Key inside the Secret (default ${defaultKey}).`),
  });

export const dns01Schema = z
  .strictObject({
    provider: z.enum(Dns01ProviderName).describe("DNS provider: cloudflare or route53."),
    cloudflare: z
      .strictObject({
        apiTokenSecretRef: secretKeyRef("api-token").describe("Secret with a Cloudflare API token (Zone:DNS:Edit, Zone:Zone:Read)."),
      })
      .optional()
      .describe("Cloudflare: the API token, as a reference to a Secret."),
    route53: z
      .strictObject({
        region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "an AWS region such as eu-west-1").describe("AWS region for the Route53 client."),
        hostedZoneID: z.string().regex(/^[A-Z0-9]{1,32}$/, "a Route53 hosted zone ID such as Z0123456789ABC").optional().describe("Only manage this hosted zone."),
        role: z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, "an IAM role ARN").optional().describe("IAM role ARN to assume."),
        accessKeyIDSecretRef: secretKeyRef("access-key-id").describe("Secret with the AWS access key ID."),
        secretAccessKeySecretRef: secretKeyRef("secret-access-key").describe("Secret with the AWS secret access key."),
      })
      .optional()
      .describe("Route53: region and the access key, as references to Secrets."),
  })
  .superRefine((dns01, ctx) => {
    if (dns01[dns01.provider] === undefined) {
      ctx.addIssue({ code: "custom", path: [dns01.provider], message: `the ${dns01.provider} settings, since dns01.provider is ${dns01.provider}` });
    }
  });

export const certManagerSchema = z
  .strictObject({
    install: z.boolean().default(true).describe("Install cert-manager with its Helm chart; false uses an existing cert-manager."),
    namespace: dnsLabel.default("cert-manager").describe("Namespace of the cert-manager release."),
    protect: z.boolean().default(false).describe("Protect the release from deletion (its CRDs own every Certificate in the cluster)."),
    values: z.record(z.string(), z.unknown()).default({}).describe("Extra cert-manager chart values, deep-merged over ours."),
  })
  .default({ install: true, namespace: "cert-manager", protect: false, values: {} })
  .describe("The cert-manager installation.");

export const hstsSchema = z
  .strictObject({
    maxAgeSeconds: z.number().int().min(0).max(63072000).default(31536000).describe("HSTS max-age in seconds (one year by default)."),
    includeSubDomains: z.boolean().default(false).describe("HSTS for every subdomain of the hosts too."),
  })
  .default({ maxAgeSeconds: 31536000, includeSubDomains: false })
  .describe("Strict-Transport-Security sent on every route when TLS is on.");

/** The certificate keys (app part). */
export const appTlsShape = {
  enabled: z.boolean().default(true).describe("TLS through cert-manager: on or off."),
  allowPlaintextOutsideDev: z
    .boolean()
    .default(false)
    .describe("Must be true to turn TLS off in staging or prod (clients then connect with ws://)."),
  issuer: z
    .enum(TlsIssuerName)
    .default("selfsigned")
    .describe("Certificate issuer: letsencrypt-staging, letsencrypt (ACME) or selfsigned (a private CA, for dev)."),
  email: inputOf(acmeEmail).optional().describe("ACME account contact; required for the letsencrypt issuers (may be an Output)."),
  solver: z.enum(AcmeSolverName).default("http01").describe("ACME challenge: http01 (through the ingress controller) or dns01 (needed for wildcard hosts)."),
  dns01: dns01Schema.optional().describe("DNS-01 provider and the Secrets holding its credentials."),
  hsts: hstsSchema,
  secretName: secretName.optional().describe("Name of the certificate's Secret; derived from the component name when unset."),
};

export const appTlsSchema = z.strictObject(appTlsShape).superRefine((tls, ctx) => tlsRefinement(tls, ctx));

export const tlsSchema = z
  .strictObject({ ...appTlsShape, certManager: certManagerSchema })
  .superRefine((tls, ctx) => tlsRefinement(tls, ctx));

/** Cross-key rules of a certificate: ACME needs an email, DNS-01 a provider. */
function tlsRefinement(tls: z.output<typeof appTlsSchema>, ctx: z.RefinementCtx): void {
  if (!tls.enabled) return;
  if (tls.issuer !== "selfsigned" && tls.email === undefined) {
    ctx.addIssue({ code: "custom", path: ["email"], message: `an email address for the ACME account of tls.issuer ${tls.issuer}` });
  }
  if (tls.issuer !== "selfsigned" && tls.solver === "dns01" && tls.dns01 === undefined) {
    ctx.addIssue({ code: "custom", path: ["dns01"], message: "a DNS-01 provider (cloudflare or route53) and its Secret references, since tls.solver is dns01" });
  }
}

export type TlsSettings = z.output<typeof tlsSchema>;
export type Dns01Settings = z.output<typeof dns01Schema>;
export type AppTlsSettings = z.output<typeof appTlsSchema>;
const tlsShapeMatches: SameShape<z.input<typeof tlsSchema>, TlsArgs> = true;
void tlsShapeMatches;
const appTlsShapeMatches: SameShape<z.input<typeof appTlsSchema>, AppTlsArgs> = true;
void appTlsShapeMatches;

export const tlsEnvironmentDefaults: EnvironmentDefaults<Partial<TlsArgs>> = {
  dev: { enabled: false, issuer: "selfsigned" },
  staging: { enabled: true, issuer: "letsencrypt-staging" },
  prod: { enabled: true, issuer: "letsencrypt", certManager: { protect: true } },
};
