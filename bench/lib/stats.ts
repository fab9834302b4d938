// Latency summaries shared by the proxy and confirmation benches. Percentiles interpolate between the two
// nearest samples (bench/scan uses this one too), so p99 of 300 samples sits between the 3rd and 4th largest.
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

export interface Summary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export function summarise(xs: readonly number[]): Summary {
  const n = xs.length;
  return {
    n,
    p50: quantile(xs, 0.5),
    p95: quantile(xs, 0.95),
    p99: quantile(xs, 0.99),
    max: n ? Math.max(...xs) : NaN,
    mean: n ? xs.reduce((a, b) => a + b, 0) / n : NaN,
  };
}

/** Milliseconds for tables: one decimal below 100 ms, whole numbers above. */
export function ms(x: number): string {
  if (!Number.isFinite(x)) return '–';
  return Math.abs(x) < 100 ? x.toFixed(1) : Math.round(x).toString();
}

/** a/b as "1.23×" (how many times a is of b). */
export function ratio(a: number, b: number): string {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return '–';
  return `${(a / b).toFixed(2)}×`;
}
