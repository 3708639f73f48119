/** The recommended `app.kubernetes.io/*` labels; selectors use only the two that never change. */
export interface AppIdentity {
  /** app.kubernetes.io/name */
  name: string;
  /** app.kubernetes.io/instance: the component's name, so two platforms in one namespace never share pods. */
  instance: string;
  /** app.kubernetes.io/component */
  component?: string;
  /** app.kubernetes.io/version, taken from the image tag when there is one. */
  version?: string;
}

export const partOf = "websocket-platform";

export function selectorLabels(id: AppIdentity): Record<string, string> {
  return { "app.kubernetes.io/name": id.name, "app.kubernetes.io/instance": id.instance };
}

export function standardLabels(id: AppIdentity): Record<string, string> {
  return {
    ...selectorLabels(id),
    ...(id.component ? { "app.kubernetes.io/component": id.component } : {}),
    ...(id.version ? { "app.kubernetes.io/version": id.version } : {}),
    "app.kubernetes.io/part-of": partOf,
    "app.kubernetes.io/managed-by": "pulumi",
  };
}

/** A label value (≤ 63 characters, alphanumeric ends) from an image reference's tag, or undefined for a digest-only one. */
export function versionFromImage(image: string): string | undefined {
  const last = image.split("/").pop() ?? "";
  const tag = last.split("@")[0].split(":")[1];
  if (!tag) return undefined;
  const cleaned = tag.replace(/[^A-Za-z0-9._-]/g, "").slice(0, 63).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, "");
  return cleaned === "" ? undefined : cleaned;
}
