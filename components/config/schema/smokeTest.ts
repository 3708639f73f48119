import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { inputOf } from "../pulumiInput";
import { EnvironmentDefaults } from "../environment";
import { pinnedImage } from "./app";
import { SameShape } from "./common";

/** Node 24 LTS on Alpine, pinned to a patch release (nodejs/docker-node 24/alpine3.24, checked 2026-11-24). */
export const defaultSmokeTestImage = "docker.io/library/node:24.19.0-alpine3.24";

/** Arguments of the smoke test through the ingress part: `smokeTest` in stack config. */
export interface SmokeTestArgs {
  /** Whether this part is deployed. */
  enabled?: boolean;
  /** Image with Node ≥ 18 that runs the check script (nothing else is needed in it). */
  image?: string;
  /**
   * host:port to dial instead of the URL's host, e.g. the controller's Service when public DNS does not resolve
   * inside the cluster; TLS SNI and the Host header still come from the public URL.
   */
  address?: string;
  /** Seconds the check keeps retrying (DNS, load balancer and certificate may still be settling) before it fails. */
  timeoutSeconds?: number;
  /**
   * PEM certificates the check trusts besides the public roots, e.g. Let's Encrypt's staging roots for
   * tls.issuer letsencrypt-staging. (The self-signed issuer's CA is wired in without this.)
   */
  caPem?: pulumi.Input<string>;
}

/** PEM text holding one or more certificates. */
export const pemCertificates = z.string().regex(/-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/, "PEM certificates (-----BEGIN CERTIFICATE----- …)");

export const smokeTestSchema = z.strictObject({
  enabled: z.boolean().default(false).describe("Smoke test through the ingress: on or off."),
  image: pinnedImage.default(defaultSmokeTestImage).describe("Pinned image with Node ≥ 18 that runs the check."),
  address: z
    .string()
    .regex(/^[A-Za-z0-9.-]+:[0-9]{1,5}$/, "host:port, e.g. traefik.traefik.svc.cluster.local:443")
    .optional()
    .describe("host:port to dial instead of the public host (SNI and Host stay the public host's)."),
  timeoutSeconds: z.number().int().min(10).max(1800).default(300).describe("Seconds the check retries before it fails."),
  caPem: inputOf(pemCertificates)
    .optional()
    .describe("Extra CA certificates (PEM) the check trusts, e.g. Let's Encrypt staging roots."),
});

export type SmokeTestSettings = z.output<typeof smokeTestSchema>;
const smokeTestShapeMatches: SameShape<z.input<typeof smokeTestSchema>, SmokeTestArgs> = true;
void smokeTestShapeMatches;

export const smokeTestEnvironmentDefaults: EnvironmentDefaults<Partial<SmokeTestArgs>> = {
  dev: { enabled: true },
  staging: { enabled: true },
  prod: { enabled: false },
};
