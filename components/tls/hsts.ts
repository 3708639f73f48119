import { TlsSettings } from "../config/schema/tls";

/** The Strict-Transport-Security value every route sends when TLS is on; undefined when it is off. */
export function strictTransportSecurity(tls: Pick<TlsSettings, "enabled" | "hsts">): string | undefined {
  if (!tls.enabled) return undefined;
  return `max-age=${tls.hsts.maxAgeSeconds}${tls.hsts.includeSubDomains ? "; includeSubDomains" : ""}`;
}
