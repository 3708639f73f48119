/** The slice of a Pulumi resource every policy reads: its type token, logical name, URN and properties. */
export interface PolicySubject {
  type: string;
  name: string;
  urn: string;
  props: Record<string, any>;
}

/** Pulumi type tokens of the Kubernetes objects the policies read (`kubernetes:<group>/<version>:<Kind>`). */
export const types = {
  namespace: "kubernetes:core/v1:Namespace",
  service: "kubernetes:core/v1:Service",
  configMap: "kubernetes:core/v1:ConfigMap",
  pod: "kubernetes:core/v1:Pod",
  deployment: "kubernetes:apps/v1:Deployment",
  statefulSet: "kubernetes:apps/v1:StatefulSet",
  daemonSet: "kubernetes:apps/v1:DaemonSet",
  replicaSet: "kubernetes:apps/v1:ReplicaSet",
  job: "kubernetes:batch/v1:Job",
  cronJob: "kubernetes:batch/v1:CronJob",
  podDisruptionBudget: "kubernetes:policy/v1:PodDisruptionBudget",
  networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
  ingress: "kubernetes:networking.k8s.io/v1:Ingress",
  helmRelease: "kubernetes:helm.sh/v3:Release",
} as const;

/** apiVersion/kind of a resource, whether it is a typed Kubernetes resource or an `apiextensions.CustomResource`. */
export function kindOf(subject: PolicySubject): { apiVersion: string; kind: string } | undefined {
  const { apiVersion, kind } = subject.props;
  if (typeof apiVersion === "string" && typeof kind === "string") return { apiVersion, kind };
  const match = /^kubernetes:([^:]+):([A-Za-z]+)$/.exec(subject.type);
  if (!match) return undefined;
  const groupVersion = match[1].startsWith("core/") ? match[1].slice("core/".length) : match[1];
  return { apiVersion: groupVersion, kind: match[2] };
}

/** True when the resource is `group/*` (any version) of the given kind. */
export function isKind(subject: PolicySubject, group: string, kind: string): boolean {
  const k = kindOf(subject);
  if (!k || k.kind !== kind) return false;
  const g = k.apiVersion.includes("/") ? k.apiVersion.split("/")[0] : "";
  return g === group;
}

export function metadataOf(subject: PolicySubject): { name?: string; namespace?: string; labels: Record<string, string>; annotations: Record<string, string> } {
  const m = subject.props.metadata ?? {};
  return { name: m.name, namespace: m.namespace, labels: m.labels ?? {}, annotations: m.annotations ?? {} };
}

/** How a violation names the object: `Kind namespace/name`, falling back to the Pulumi name. */
export function describe(subject: PolicySubject): string {
  const k = kindOf(subject);
  const m = metadataOf(subject);
  const name = m.name ?? subject.name;
  return `${k?.kind ?? subject.type} ${m.namespace ? `${m.namespace}/` : ""}${name}`;
}

export interface HelmRelease {
  subject: PolicySubject;
  /** Chart name without repository or OCI prefix, e.g. `ingress-nginx`. */
  chart: string;
  values: Record<string, any>;
}

export function helmReleases(subjects: PolicySubject[]): HelmRelease[] {
  return subjects
    .filter((s) => s.type === types.helmRelease)
    .map((subject) => ({
      subject,
      chart: String(subject.props.chart ?? "").split("/").pop() ?? "",
      values: (subject.props.values ?? {}) as Record<string, any>,
    }));
}

/** A nested value by path, or undefined when any step is missing. */
export function at(value: unknown, ...path: string[]): any {
  let current: any = value;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = current[key];
  }
  return current;
}

/** Every `(path, value)` pair under a value, depth-first; arrays index as `[i]`. */
export function* walk(value: unknown, path = ""): Generator<[string, unknown]> {
  yield [path, value];
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield* walk(value[i], `${path}[${i}]`);
  } else if (value !== null && typeof value === "object") {
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) yield* walk(child, path ? `${path}.${key}` : key);
  }
}

/** Does a matchLabels/matchExpressions selector select these labels (Kubernetes semantics; empty selects all). */
export function selectorMatches(selector: any, labels: Record<string, string>): boolean {
  if (!selector) return false;
  const matchLabels: Record<string, string> = selector.matchLabels ?? {};
  for (const [k, v] of Object.entries(matchLabels)) if (labels[k] !== v) return false;
  for (const expr of (selector.matchExpressions ?? []) as { key: string; operator: string; values?: string[] }[]) {
    const has = Object.prototype.hasOwnProperty.call(labels, expr.key);
    const value = labels[expr.key];
    const values = expr.values ?? [];
    if (expr.operator === "In" && !(has && values.includes(value))) return false;
    if (expr.operator === "NotIn" && has && values.includes(value)) return false;
    if (expr.operator === "Exists" && !has) return false;
    if (expr.operator === "DoesNotExist" && has) return false;
  }
  return true;
}

/** A Service's plain selector map selects these labels (every key equal; an empty selector selects nothing). */
export function serviceSelects(selector: Record<string, string> | undefined, labels: Record<string, string>): boolean {
  const entries = Object.entries(selector ?? {});
  return entries.length > 0 && entries.every(([k, v]) => labels[k] === v);
}
