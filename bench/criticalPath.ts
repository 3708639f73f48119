import { ProgramRun } from "../tools/mockRunner";

/**
 * Typical time from create request to "ready" as `pulumi up` waits for it, per resource type. The Kubernetes
 * provider awaits only some kinds (pulumi/pulumi-kubernetes provider/pkg/await/awaiters.go: Deployment, StatefulSet,
 * DaemonSet, Job, Pod, Service, Ingress, PVC; a Helm v3 Release waits for its whole chart unless skipAwait);
 * everything else is one API call. The seconds are this project's working assumptions for a warm cluster
 * (image cached, no autoscaling of nodes), not measurements: they rank the chain, they do not predict it.
 */
export const creationSeconds: Record<string, number> = {
  "kubernetes:helm.sh/v3:Release": 60, // chart workloads ready: controller pods, webhook endpoints
  "kubernetes:apps/v1:Deployment": 20, // scheduling, image pull (cached), startup + readiness probes
  "kubernetes:apps/v1:StatefulSet": 30,
  "kubernetes:apps/v1:DaemonSet": 20,
  "kubernetes:batch/v1:Job": 15,
  "kubernetes:core/v1:Service": 2, // ClusterIP; the await only checks the selector finds pods
  "kubernetes:networking.k8s.io/v1:Ingress": 10, // until the controller writes status.loadBalancer
  "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition": 2, // until Established
};
/** Any other Kubernetes object (Namespace, RBAC, ConfigMap, PDB, NetworkPolicy, custom resources): one API call. */
export const defaultCreationSeconds = 1;

export function secondsFor(type: string): number {
  if (type.startsWith("pulumi:providers:")) return 0;
  return creationSeconds[type] ?? defaultCreationSeconds;
}

export interface CriticalPath {
  /** Keys of the longest chain, first created first. */
  chain: string[];
  chainSeconds: number;
  /** Creating everything one after another. */
  serialSeconds: number;
  resources: number;
}

/** Longest weighted path through the creation graph (a DAG; the engine runs everything else in parallel). */
export function criticalPath(run: ProgramRun, graph: Map<string, Set<string>>): CriticalPath {
  const type = new Map(run.resources.map((r) => [r.key, r.type]));
  const finish = new Map<string, { seconds: number; via?: string }>();
  const visiting = new Set<string>();
  const visit = (key: string): number => {
    const known = finish.get(key);
    if (known) return known.seconds;
    if (visiting.has(key)) throw new Error(`dependency cycle through ${key}`);
    visiting.add(key);
    let best: { seconds: number; via?: string } = { seconds: 0 };
    for (const dep of graph.get(key) ?? []) {
      const s = visit(dep);
      if (s > best.seconds) best = { seconds: s, via: dep };
    }
    visiting.delete(key);
    const done = { seconds: best.seconds + secondsFor(type.get(key) ?? ""), via: best.via };
    finish.set(key, done);
    return done.seconds;
  };
  let end: string | undefined;
  for (const key of graph.keys()) if (end === undefined || visit(key) > visit(end)) end = key;
  const chain: string[] = [];
  for (let k = end; k !== undefined; k = finish.get(k)?.via) chain.unshift(k);
  const serialSeconds = [...graph.keys()].reduce((sum, k) => sum + secondsFor(type.get(k) ?? ""), 0);
  return { chain, chainSeconds: end ? finish.get(end)!.seconds : 0, serialSeconds, resources: graph.size };
}
