import type { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { PolicySubject } from "./resources";

/** The policies read only type, name, URN and properties, so tests can feed mock-runner resources straight in. */
export function subjectsOf(args: Pick<StackValidationArgs, "resources">): PolicySubject[] {
  return args.resources.map((r: Pick<PolicyResource, "type" | "name" | "urn" | "props">) => ({ type: r.type, name: r.name, urn: r.urn, props: r.props ?? {} }));
}

/** A number from the policy's config (`--policy-pack-config`), else the fallback. */
export function configNumber(args: { getConfig<T extends object>(): T }, key: string, fallback: number): number {
  const value = (args.getConfig<Record<string, unknown>>() ?? {})[key];
  return typeof value === "number" ? value : fallback;
}

/** A string from the policy's config, else the fallback. */
export function configString(args: { getConfig<T extends object>(): T }, key: string, fallback: string): string {
  const value = (args.getConfig<Record<string, unknown>>() ?? {})[key];
  return typeof value === "string" ? value : fallback;
}
