import { KnownHosts, settledHosts } from "../../components/config/knownHosts";
import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { deepMerge, isPlainObject } from "../../components/config/merge";
import { stackConfigKeys } from "../../components/config/parse";
import { resolvePlatformConfig } from "../../components/config/resolve";
import { PlatformSettings } from "../../components/config/schema/platform";
import { KubernetesObject, helmReleases, kubernetesObjects } from "../../tools/kubernetesObjects";
import { ProgramRun, RegisteredResource } from "../../tools/mockRunner";
import { settleMain } from "../support/render";
import { sharedDir } from "../support/schemas";

/** A prod platform with TLS on; tests override what they look at. */
export const basePlatform = {
  environment: "prod",
  namespace: "chat",
  app: { name: "chat", image: "ghcr.io/acme/chat:1.4.2" },
  ingress: { hosts: ["ws.example.com"] },
  tls: { email: "ops@example.org" },
};

export function platformConfig(over: Record<string, unknown>): Record<string, unknown> {
  return deepMerge(JSON.parse(JSON.stringify(basePlatform)), over);
}

/** Settings from stack config, whose hosts are always plain strings. */
export function settingsOf(over: Record<string, unknown>): KnownHosts<PlatformSettings> {
  return settledHosts(resolvePlatformConfig(platformConfig(over), stackConfigKeys).settings)!;
}

/** Run the stack program with this config (as stack config), failing on any error. */
export async function renderPlatform(over: Record<string, unknown>): Promise<ProgramRun> {
  const config = Object.fromEntries(Object.entries(platformConfig(over)).map(([k, v]) => [`websocket-platform:${k}`, v]));
  const run = await settleMain("test", config);
  if (run.error !== undefined) throw run.error;
  return run;
}

export function objects(run: ProgramRun, kind?: string): KubernetesObject[] {
  return kubernetesObjects(run.resources).filter((o) => kind === undefined || o.kind === kind);
}

export function one(run: ProgramRun, kind: string, name?: string): KubernetesObject & { spec: any } {
  const found = objects(run, kind).filter((o) => name === undefined || o.metadata.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name ?? ""}, found ${found.length}: ${found.map((o) => o.metadata.name).join(", ")}`);
  return found[0] as KubernetesObject & { spec: any };
}

/** The controller's release: every release but cert-manager's, which the TLS part adds when TLS is on. */
export function oneRelease(run: ProgramRun): RegisteredResource {
  const releases = helmReleases(run.resources).filter((r) => r.inputs.name !== "cert-manager");
  if (releases.length !== 1) throw new Error(`expected one controller Helm release, found ${releases.length}`);
  return releases[0];
}

export function readShared(...parts: string[]): string {
  return fs.readFileSync(path.join(sharedDir, "upstream", ...parts), "utf8");
}

export function sharedJson<T>(...parts: string[]): T {
  return JSON.parse(readShared(...parts)) as T;
}

export function sharedYaml(...parts: string[]): unknown {
  return YAML.parse(readShared(...parts));
}

export function fixtureJson<T>(...parts: string[]): T {
  return JSON.parse(fs.readFileSync(path.join(__dirname, "..", "fixtures", ...parts), "utf8")) as T;
}

/** Leaf key paths of a values object (dot-joined); a map we fill (like controller.config) is listed as its own path plus keys. */
export function leafPaths(values: unknown, prefix: string[] = []): string[][] {
  if (!isPlainObject(values) || Object.keys(values).length === 0) return [prefix];
  return Object.entries(values).flatMap(([k, v]) => leafPaths(v, [...prefix, k]));
}

/**
 * Whether a path we set exists in a chart's default values: every segment present, or an open map on the way
 * (an empty `{}` in values.yaml, e.g. controller.config, whose keys are checked against a catalogue instead).
 */
export function pathInValues(defaults: unknown, keyPath: string[]): boolean {
  let node = defaults;
  for (const key of keyPath) {
    if (!isPlainObject(node)) return false;
    if (Object.keys(node).length === 0) return true;
    if (!(key in node)) return false;
    node = node[key];
  }
  return true;
}
