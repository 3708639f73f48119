// Running the arms of a comparison round by round (A B, B A, A B, …) so that a machine that slows down or speeds
// up during the bench (other jobs, thermal limits, caches) affects every arm alike, and reporting the spread.

export interface Spread {
  median: number;
  min: number;
  max: number;
}

export function spread(xs: number[]): Spread {
  const sorted = [...xs].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

/** `median (min–max)` with the given digits and unit. */
export function formatSpread(s: Spread, digits = 0, unit = ""): string {
  return `${s.median.toFixed(digits)}${unit} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;
}

/**
 * Every arm once per round, `rounds` rounds; each round starts one arm later than the last, so no arm always runs
 * first (or right after a particular other one). Returns each arm's samples in round order.
 */
export function interleave<T>(arms: string[], rounds: number, run: (arm: string, round: number) => T): Map<string, T[]> {
  const samples = new Map<string, T[]>(arms.map((a) => [a, []]));
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < arms.length; i++) {
      const arm = arms[(i + round) % arms.length];
      samples.get(arm)!.push(run(arm, round));
    }
  }
  return samples;
}

/** The ratio arm / base taken within each round (both ran under the same conditions), then summarised. */
export function ratioSpread(arm: number[], base: number[]): Spread {
  return spread(arm.map((x, i) => x / base[i]));
}
