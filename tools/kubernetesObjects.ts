import { RegisteredResource } from "./mockRunner";

export const helmReleaseType = "kubernetes:helm.sh/v3:Release";
export const configFileType = "kubernetes:yaml/v2:ConfigFile";

/** A Kubernetes object as it would be sent to the API server. */
export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

export function isKubernetesObject(r: RegisteredResource): boolean {
  return r.custom && r.type.startsWith("kubernetes:") && r.type !== helmReleaseType && !r.type.startsWith("pulumi:providers:");
}

export function kubernetesObjects(resources: RegisteredResource[]): KubernetesObject[] {
  return resources.filter(isKubernetesObject).map((r) => r.inputs as KubernetesObject);
}

export function helmReleases(resources: RegisteredResource[]): RegisteredResource[] {
  return resources.filter((r) => r.type === helmReleaseType);
}

/** Every ConfigFile the program registered, by name: each applies the manifest its `file` input names at `pulumi up`. */
export function configFiles(resources: RegisteredResource[]): RegisteredResource[] {
  return resources.filter((r) => r.type === configFileType).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The nearest component above a resource: its file in `render`'s output. */
export function owningComponent(resource: RegisteredResource, byKey: Map<string, RegisteredResource>): RegisteredResource | undefined {
  let parentKey = resource.parent;
  while (parentKey) {
    const parent = byKey.get(parentKey);
    if (!parent) return undefined;
    if (!parent.custom) return parent;
    parentKey = parent.parent;
  }
  return undefined;
}

/** Stable order: kind, namespace, name. */
export function compareObjects(a: KubernetesObject, b: KubernetesObject): number {
  const key = (o: KubernetesObject) => `${o.apiVersion}/${o.kind}\u0000${o.metadata?.namespace ?? ""}\u0000${o.metadata?.name ?? ""}`;
  const [ka, kb] = [key(a), key(b)];
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
