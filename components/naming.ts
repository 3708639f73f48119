import { createHash } from "crypto";

/** Longest Kubernetes object name we emit: an RFC 1123 label, so it also fits Services and namespaces. */
export const maxObjectNameLength = 63;

/**
 * A Kubernetes object name derived from the component name and a suffix: predictable, and never longer than
 * 63 characters (too long a name keeps its start and gets a short hash, so two long names stay distinct).
 */
export function objectName(...parts: string[]): string {
  const joined = parts
    .filter((p) => p !== "")
    .join("-")
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "");
  if (joined.length <= maxObjectNameLength) return joined;
  const hash = createHash("sha256").update(joined).digest("hex").slice(0, 8);
  return `${joined.slice(0, maxObjectNameLength - 9).replace(/-$/, "")}-${hash}`;
}
