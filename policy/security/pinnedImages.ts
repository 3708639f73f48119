import type { ResourceValidationPolicy } from "@pulumi/policy";
import { resourcePolicy } from "../lib/define";
import { PolicySubject, types, walk } from "../lib/resources";
import { allContainers, podTemplateOf } from "../lib/workloads";

/** An image reference with a digest, or a tag other than `latest`. */
export function isPinned(image: string): boolean {
  if (/@sha256:[a-f0-9]{64}$/.test(image)) return true;
  const last = image.split("/").pop() ?? "";
  const tag = last.includes(":") ? last.split(":").pop() : undefined;
  return tag !== undefined && tag !== "" && tag !== "latest";
}

/** Unpinned images in pod templates, and `tag: latest` / unpinned `image:` strings in Helm values. */
export function unpinnedImageFindings(subject: PolicySubject): string[] {
  const found: string[] = [];
  const template = podTemplateOf(subject);
  for (const c of template ? allContainers(template.spec) : []) {
    if (typeof c.image === "string" && !isPinned(c.image)) found.push(`container "${c.name}" image ${c.image}`);
    if (c.image === undefined) found.push(`container "${c.name}" without image`);
  }
  if (subject.type === types.helmRelease) {
    for (const [path, value] of walk(subject.props.values ?? {})) {
      const key = path.split(".").pop();
      if (key === "tag" && value === "latest") found.push(`values ${path}: latest`);
      if (value !== null && typeof value === "object" && !Array.isArray(value)) {
        const { image, tag, digest } = value as Record<string, unknown>;
        // A bare repository beside its own tag/digest keys (ingress-nginx's controller.image.image) is pinned by those.
        const pinnedBySibling = (typeof tag === "string" && tag !== "") || (typeof digest === "string" && digest !== "");
        if (typeof image === "string" && !isPinned(image) && !pinnedBySibling) found.push(`values ${path ? `${path}.` : ""}image: ${image}`);
      }
    }
  }
  return found;
}

export function pinnedImagesPolicy(): ResourceValidationPolicy {
  return resourcePolicy(
    {
      name: "no-unpinned-images",
      description: "Every image is pinned by a tag other than latest, or by digest, so a rollout changes only what the code changes.",
      enforcementLevel: "mandatory",
    },
    unpinnedImageFindings,
    (found) => `Unpinned images: ${found.join("; ")}; use repository:tag (not latest) or repository@sha256:<digest>.`,
  );
}