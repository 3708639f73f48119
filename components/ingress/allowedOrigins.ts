import { anyOrigin, normalizeOrigin } from "../app/origin";
import { OriginPolicy } from "../app/runtimeEnvironment";
import { HostsInput, settledHosts } from "../config/knownHosts";

/** What the origin derivation reads: the app's route settings and whether TLS is on. */
export interface OriginSources {
  ingress: { hosts: string[]; allowedOrigins?: string[]; allowMissingOrigin: boolean };
  tls: { enabled: boolean };
}

/**
 * The pages of the app's own public hosts: `https://<host>` with TLS, `http://<host>` without. A `*.` wildcard host
 * names no single origin, and the server compares origins exactly, so it contributes none (list them in
 * ingress.allowedOrigins).
 */
export function hostOrigins(hosts: string[], tlsEnabled: boolean): string[] {
  const scheme = tlsEnabled ? "https" : "http";
  return hosts.filter((host) => !host.startsWith("*.")).map((host) => `${scheme}://${host}`);
}

/**
 * The one derivation of the app's origin policy, read by the route (edge matches), the Deployment's environment
 * (the server's 403) and the smoke test (the Origin it sends): ingress.allowedOrigins when given, else the public
 * hosts' own origins; origins normalised as browsers send them.
 */
export function originPolicyOf(settings: OriginSources): OriginPolicy {
  const { ingress } = settings;
  const listed = ingress.allowedOrigins ?? hostOrigins(ingress.hosts, settings.tls.enabled);
  if (listed.includes(anyOrigin)) return { allowedOrigins: anyOrigin, allowMissingOrigin: ingress.allowMissingOrigin };
  const normalised = listed.map((origin) => normalizeOrigin(origin) ?? origin);
  return { allowedOrigins: [...new Set(normalised)], allowMissingOrigin: ingress.allowMissingOrigin };
}

/** The policy as far as it is known now: undefined only while it derives from hosts that are an Output. */
export function originPolicyNow(settings: { ingress: Omit<OriginSources["ingress"], "hosts"> & { hosts: HostsInput }; tls: { enabled: boolean } }): OriginPolicy | undefined {
  const { ingress } = settings;
  if (ingress.allowedOrigins !== undefined) return originPolicyOf({ ...settings, ingress: { ...ingress, hosts: [] } });
  const settled = settledHosts(settings);
  return settled === undefined ? undefined : originPolicyOf(settled);
}

/** The exact origins a route can require of the `Origin` header at the edge; undefined when any origin is allowed. */
export function edgeOrigins(policy: OriginPolicy): string[] | undefined {
  if (policy.allowedOrigins === anyOrigin || policy.allowedOrigins.length === 0) return undefined;
  return policy.allowedOrigins;
}

/** The Origin a client on the app's own page sends: the public host's origin when allowed, else the first allowed one; none when only missing origins pass. */
export function sameSiteOrigin(policy: OriginPolicy, publicHost: string, tlsEnabled: boolean): string | undefined {
  const own = `${tlsEnabled ? "https" : "http"}://${publicHost}`;
  if (policy.allowedOrigins === anyOrigin) return own;
  if (policy.allowedOrigins.includes(normalizeOrigin(own) ?? own)) return normalizeOrigin(own) ?? own;
  return policy.allowedOrigins[0];
}
