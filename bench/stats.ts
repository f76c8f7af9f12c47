// Small order statistics for the benchmark figures. Nearest-rank percentiles: with few samples an
// interpolated p99 would invent a value nobody measured.

export interface Summary {
  count: number;
  min: number;
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentile (p in 0..100) of `values`; NaN when there are none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

export function summarize(values: readonly number[]): Summary {
  const count = values.length;
  const mean = count === 0 ? Number.NaN : values.reduce((sum, v) => sum + v, 0) / count;
  return {
    count,
    min: count === 0 ? Number.NaN : Math.min(...values),
    p50: percentile(values, 50),
    p99: percentile(values, 99),
    max: count === 0 ? Number.NaN : Math.max(...values),
    mean,
  };
}

/** `value / floor`, rounded to 2 decimals; NaN when either is missing. */
export function ratio(value: number, floor: number): number {
  if (!Number.isFinite(value) || !Number.isFinite(floor) || floor <= 0) return Number.NaN;
  return Math.round((value / floor) * 100) / 100;
}

/** Rounds a duration for the report: 2 decimals under 10 ms, 1 decimal above. */
export function roundMs(ms: number): number {
  if (!Number.isFinite(ms)) return ms;
  return ms < 10 ? Math.round(ms * 100) / 100 : Math.round(ms * 10) / 10;
}
