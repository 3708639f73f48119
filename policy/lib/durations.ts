const unitSeconds: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001, us: 0.000001, "µs": 0.000001, ns: 1e-9, d: 86400 };

/**
 * Seconds in a duration as the controllers write them: Go/Envoy/Gateway API (`1h30m`, `3600s`, `500ms`) or a bare
 * number in `bareUnit` (seconds for ingress-nginx and Traefik, milliseconds for HAProxy). Undefined when unparsable.
 */
export function durationSeconds(value: unknown, bareUnit: "s" | "ms"): number | undefined {
  if (typeof value === "number") return bareUnit === "s" ? value : value / 1000;
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return bareUnit === "s" ? Number(text) : Number(text) / 1000;
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s|d)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== text) return undefined;
  return parts.reduce((sum, [, n, unit]) => sum + Number(n) * unitSeconds[unit], 0);
}
