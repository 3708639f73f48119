import { ProgramRun, RegisteredResource } from "../tools/mockRunner";

/** The custom resources a dependency stands for: itself, or every custom resource under a component. */
function expand(key: string, byKey: Map<string, RegisteredResource>, children: Map<string, string[]>): string[] {
  const r = byKey.get(key);
  if (!r) return [];
  if (r.custom) return [key];
  return (children.get(key) ?? []).flatMap((c) => expand(c, byKey, children));
}

/** Creation dependencies between custom resources (explicit and through Outputs, as the mock runner records them), components expanded. */
export function creationGraph(run: ProgramRun): Map<string, Set<string>> {
  const byKey = new Map(run.resources.map((r) => [r.key, r]));
  const children = new Map<string, string[]>();
  for (const r of run.resources) if (r.parent) children.set(r.parent, [...(children.get(r.parent) ?? []), r.key]);
  const result = new Map<string, Set<string>>();
  for (const r of run.resources.filter((x) => x.custom)) {
    result.set(r.key, new Set(r.dependencies.flatMap((d) => expand(d, byKey, children)).filter((d) => d !== r.key)));
  }
  return result;
}
