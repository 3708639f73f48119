import * as pulumi from "@pulumi/pulumi";

/** The hosts as a program may give them: plain, each an Input, or the whole list an Input. */
export type HostsInput = pulumi.Input<pulumi.Input<string>[]>;

/** Settings whose hosts are known strings: what routes, certificates, origins and URLs are built from. */
export type KnownHosts<S extends { ingress: { hosts: HostsInput } }> = Omit<S, "ingress"> & { ingress: Omit<S["ingress"], "hosts"> & { hosts: string[] } };

/** The hosts when every one is a plain string (stack config always is); undefined while any is an Output or a Promise. */
export function knownHosts(hosts: HostsInput): string[] | undefined {
  return Array.isArray(hosts) && hosts.every((host) => typeof host === "string") ? (hosts as string[]) : undefined;
}

/** How many hosts there are, known whenever the list itself is plain (its entries may still be Outputs). */
export function hostCount(hosts: HostsInput): number | undefined {
  return Array.isArray(hosts) ? hosts.length : undefined;
}

/** The settings with these hosts in place of theirs. */
export function withHosts<S extends { ingress: { hosts: HostsInput } }>(settings: S, hosts: string[]): KnownHosts<S> {
  return { ...settings, ingress: { ...settings.ingress, hosts } } as KnownHosts<S>;
}

/** The settings when their hosts are known strings, else undefined (an Output: decided when it resolves). */
export function settledHosts<S extends { ingress: { hosts: HostsInput } }>(settings: S): KnownHosts<S> | undefined {
  const hosts = knownHosts(settings.ingress.hosts);
  return hosts === undefined ? undefined : withHosts(settings, hosts);
}

/**
 * What `build` makes of the settings with their hosts known: now when they are plain (the value itself, so plain
 * config renders exactly as before), when they resolve otherwise (an Output, unknown in a preview until then).
 */
export function onceHostsKnown<S extends { ingress: { hosts: HostsInput } }, T>(settings: S, build: (settings: KnownHosts<S>) => T): T | pulumi.Output<T> {
  const settled = settledHosts(settings);
  if (settled !== undefined) return build(settled);
  return pulumi.output(settings.ingress.hosts).apply((hosts) => build(withHosts(settings, hosts))) as unknown as pulumi.Output<T>;
}
