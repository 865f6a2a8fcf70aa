/** Small statistics helpers. Every function takes plain numbers and never mutates its input. */

/** The median of `values` (mean of the two middle ones for an even count). Throws on an empty list. */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/**
 * The p-th percentile (0..100) of `values` by linear interpolation between closest ranks (the
 * "R-7" rule, the default of numpy and spreadsheets). Throws RangeError on an empty list.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError('percentile of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (Math.min(Math.max(p, 0), 100) / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const lowValue = sorted[low] as number;
  const highValue = sorted[high] as number;
  return lowValue + (highValue - lowValue) * (rank - low);
}

/** `subject / baseline`, or null when the baseline is zero or missing. */
export function ratio(subject: number, baseline: number | null): number | null {
  if (baseline === null || baseline === 0) return null;
  return subject / baseline;
}

/** High-resolution wall-clock milliseconds since an arbitrary origin (performance.now). */
export function nowMs(): number {
  return performance.now();
}
