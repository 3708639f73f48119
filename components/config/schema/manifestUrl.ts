import { z } from "zod";

/** Hosts that are this machine: plain http to them never crosses a network (a loopback mirror or test server). */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** Where a manifest may be fetched from (each redirect too): https, or plain http to a loopback host. */
export function isManifestLocation(url: URL): boolean {
  return url.protocol === "https:" || (url.protocol === "http:" && isLoopbackHost(url.hostname));
}

/** What a manifest we apply may be fetched from: a manifest location, never with credentials in it. */
export function isManifestUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username !== "" || url.password !== "") return false;
  return isManifestLocation(url);
}

/** A manifest URL in config: stored in plain state and fetched by the provider, so no credentials and no cleartext off the machine. */
const allowed = "an https:// URL without user:password (plain http:// only to 127.0.0.1, [::1] or localhost), e.g. https://mirror.example.com/gateway-api/v1.5.1/standard-install.yaml";
export const manifestUrl = z.url({ protocol: /^https?$/, error: allowed }).max(2048).refine(isManifestUrl, { message: allowed });
