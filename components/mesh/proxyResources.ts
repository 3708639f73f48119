import { ProxyResourcesArgs } from "../config/schema/mesh";

/** Which pod annotation carries each proxy resource setting, per mesh. */
export type ProxyResourceAnnotationKeys = Record<keyof ProxyResourcesArgs, string>;

/** The given proxy resources as the mesh's pod annotations (unset ones left out). */
export function proxyResourceAnnotations(resources: ProxyResourcesArgs | undefined, keys: ProxyResourceAnnotationKeys): Record<string, string> {
  const annotations: Record<string, string> = {};
  for (const field of Object.keys(keys) as (keyof ProxyResourcesArgs)[]) {
    const value = resources?.[field];
    if (value) annotations[keys[field]] = value;
  }
  return annotations;
}
