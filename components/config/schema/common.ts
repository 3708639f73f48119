import { z } from "zod";

/** Compile-time proof that a zod schema's input and an explicit Args interface describe the same shape. */
export type SameShape<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** RFC 1123 label: what Kubernetes accepts as a namespace or Service name. */
export const dnsLabel = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "a lowercase RFC 1123 label: a-z, 0-9 and '-', starting and ending alphanumeric")
  .max(63);

/** RFC 1035 label: what a Service name must be (it starts with a letter, unlike a namespace). */
export const dns1035Label = z
  .string()
  .regex(/^[a-z]([-a-z0-9]*[a-z0-9])?$/, "a lowercase RFC 1035 label: a-z, 0-9 and '-', starting with a letter and ending alphanumeric")
  .max(63);

/** Longest DNS name and longest label in it (RFC 1123 as Kubernetes checks Ingress and HTTPRoute hosts). */
export const maxHostNameLength = 253;
export const maxDnsLabelLength = 63;

/** A host name as Ingress and Gateway API accept it; a leading `*.` makes a wildcard. */
export const hostName = z
  .string()
  .regex(
    /^(\*\.)?([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    "a lowercase DNS name such as ws.example.com (optionally *.example.com)",
  )
  .max(maxHostNameLength)
  .refine((host) => host.split(".").every((label) => label.length <= maxDnsLabelLength), {
    message: `a DNS name whose every dot-separated label is at most ${maxDnsLabelLength} characters`,
  });

/** One or more host names, as a route or a certificate lists them. */
export const hostNames = z.array(hostName).min(1);

export const port = z.number().int().min(1).max(65535);

/** Name of the affinity cookie every controller sets when `ingress.sessionAffinity` is on, and Istio hashes on. */
export const affinityCookieName = "ws_affinity";

/** Kubernetes quantity such as 250m, 1, 512Mi. */
export const quantity = z
  .string()
  .regex(/^[0-9]+(\.[0-9]+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/, "a Kubernetes quantity such as 250m, 1, 512Mi");

export const httpPath = z.string().regex(/^\/[A-Za-z0-9._~\/-]*$/, "an absolute HTTP path such as /healthz");

/** Free-form values we do not model (Helm chart values): `any`, because cross-language schema inference rejects `unknown`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type FreeformValues = { [key: string]: any };
