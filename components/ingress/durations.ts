/** Durations as each controller writes them, and back to seconds for the timeout checks. */

/** Go / Traefik / Gateway API style: whole seconds, e.g. 3600s. */
export function secondsText(seconds: number): string {
  return `${seconds}s`;
}

/**
 * NGINX Gateway Fabric's Duration allows at most 4 digits (^[0-9]{1,4}(ms|s|m|h)?$): use the largest unit that
 * still fits, rounding up so the timeout is never shorter than asked.
 */
export function fourDigitDuration(seconds: number): string {
  if (seconds <= 9999) return `${seconds}s`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes <= 9999) return `${minutes}m`;
  return `${Math.ceil(seconds / 3600)}h`;
}

const units: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 };

/**
 * Seconds in a duration a user may have written in chart values: a number (in `bareUnit`) or text such as
 * 3600, "3600s", "1h", "90m", "1h30m". Undefined when it is not a duration at all.
 */
export function parseDurationSeconds(value: unknown, bareUnit: "s" | "ms"): number | undefined {
  if (typeof value === "number" && Number.isFinite(value) && value >= 0) return bareUnit === "ms" ? value / 1000 : value;
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  if (/^[0-9]+$/.test(text)) return parseDurationSeconds(Number(text), bareUnit);
  const parts = [...text.matchAll(/([0-9]+(?:\.[0-9]+)?)(ms|s|m|h|d)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== text) return undefined;
  return parts.reduce((sum, p) => sum + Number(p[1]) * units[p[2]], 0);
}
