import type { ICertificate } from "@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate" with { "resolution-mode": "import" };

export type CertificateSpec = ICertificate["spec"];

/** The private root CA: long-lived, and a renewal keeps its key so clients that trust the root keep trusting it. */
export function rootCaCertificateSpec(args: { commonName: string; secretName: string; selfSignedIssuerName: string }): CertificateSpec {
  return {
    isCA: true,
    commonName: args.commonName,
    secretName: args.secretName,
    duration: "87600h",
    renewBefore: "720h",
    privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Never" },
    issuerRef: { name: args.selfSignedIssuerName, kind: "Issuer", group: "cert-manager.io" },
  };
}

/** The hosts' certificate. The guide's commonName is left out: browsers read only the DNS names. */
export function hostCertificateSpec(args: { hosts: string[]; secretName: string; issuerName: string; labels: Record<string, string> }): CertificateSpec {
  return {
    secretName: args.secretName,
    dnsNames: [...args.hosts],
    issuerRef: { name: args.issuerName, kind: "Issuer", group: "cert-manager.io" },
    privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
    secretTemplate: { labels: args.labels },
  };
}
