import * as pulumi from "@pulumi/pulumi";
import { ProgramRun, RegisteredResource } from "../tools/mockRunner";

/** Keys (`type::name`) of the resources each resource waits for: explicit dependsOn plus the resources behind its input Outputs. */
export type DependencyGraph = Map<string, Set<string>>;

function outputsIn(value: unknown, seen = new Set<unknown>()): pulumi.Output<unknown>[] {
  if (value === null || typeof value !== "object" || seen.has(value)) return [];
  seen.add(value);
  if (pulumi.Output.isInstance(value)) return [value as pulumi.Output<unknown>];
  if (value instanceof pulumi.Resource) return [];
  return Object.values(value as Record<string, unknown>).flatMap((v) => outputsIn(v, seen));
}

/**
 * Wrap a program so that, while the mock runner runs it, every registration's implicit dependencies (the
 * resources whose Outputs flow into its inputs, as the engine computes them) are recorded.
 */
export function recordingDependencies(program: () => unknown): { program: () => Promise<unknown>; graph: () => Promise<DependencyGraph> } {
  const keyOf = new WeakMap<pulumi.Resource, string>();
  const pending: Promise<void>[] = [];
  const graph: DependencyGraph = new Map();
  const wrapped = async () => {
    pulumi.runtime.registerStackTransformation((args) => {
      const key = `${args.type}::${args.name}`;
      keyOf.set(args.resource, key);
      const deps = new Set<string>();
      graph.set(key, deps);
      // `allResources` is the SDK's own record of which resources an Output came from (output.js).
      const sources = outputsIn(args.props).map((o) => ((o as unknown as { allResources?: () => Promise<Set<pulumi.Resource>> }).allResources?.() ?? Promise.resolve(new Set<pulumi.Resource>())));
      pending.push(
        Promise.all(sources).then((sets) => {
          for (const set of sets) for (const r of set) {
            const k = keyOf.get(r);
            if (k && k !== key) deps.add(k);
          }
        }),
      );
      return undefined;
    });
    return program();
  };
  return { program: wrapped, graph: async () => (await Promise.all(pending), graph) };
}

/** The custom resources a dependency stands for: itself, or every custom resource under a component. */
function expand(key: string, byKey: Map<string, RegisteredResource>, children: Map<string, string[]>): string[] {
  const r = byKey.get(key);
  if (!r) return [];
  if (r.custom) return [key];
  return (children.get(key) ?? []).flatMap((c) => expand(c, byKey, children));
}

/** Creation dependencies between custom resources: implicit (Outputs) and explicit (dependsOn), components expanded. */
export function creationGraph(run: ProgramRun, implicit: DependencyGraph): Map<string, Set<string>> {
  const byKey = new Map(run.resources.map((r) => [r.key, r]));
  const children = new Map<string, string[]>();
  for (const r of run.resources) if (r.parent) children.set(r.parent, [...(children.get(r.parent) ?? []), r.key]);
  const result = new Map<string, Set<string>>();
  for (const r of run.resources.filter((x) => x.custom)) {
    const direct = [...r.dependsOn, ...(implicit.get(r.key) ?? [])];
    result.set(r.key, new Set(direct.flatMap((d) => expand(d, byKey, children)).filter((d) => d !== r.key)));
  }
  return result;
}
