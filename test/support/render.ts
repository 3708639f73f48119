import { ProgramRun, RegisteredResource, runStack } from "../../tools/mockRunner";
import { KubernetesObject, kubernetesObjects } from "../../tools/kubernetesObjects";

export { runStack };

/** The Kubernetes objects of a run, found by kind and (optionally) name. */
export function objectsOf(run: ProgramRun, kind: string, name?: string): KubernetesObject[] {
  return kubernetesObjects(run.resources).filter((o) => o.kind === kind && (name === undefined || o.metadata?.name === name));
}

export function oneObject(run: ProgramRun, kind: string, name?: string): KubernetesObject {
  const found = objectsOf(run, kind, name);
  if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ` ${name}` : ""}, found ${found.length}`);
  return found[0];
}

export function resourcesOfType(run: ProgramRun, type: string): RegisteredResource[] {
  return run.resources.filter((r) => r.type === type);
}
