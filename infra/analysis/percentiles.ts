// Percentiles and bootstrap confidence intervals for latency samples.

/**
 * The q-quantile (0..1) of sorted values, interpolated linearly between closest ranks
 * (Hyndman–Fan type 7). k6 computes its p(…) figures the same way, so the two agree.
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  if (n === 1) return sorted[0];
  const i = q * (n - 1);
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (i - lo);
}

export function sortedCopy(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values as ArrayLike<number>).sort();
}

/** A small, fast, seedable PRNG (mulberry32): the same run id gives the same intervals. */
export function seededRandom(seed: string): () => number {
  let h = 1779033703 ^ seed.length;
  for (let i = 0; i < seed.length; i++) {
    h = Math.imul(h ^ seed.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Resamples each stratum (round) with replacement, keeping its size, and pools them sorted. */
function resample(strata: readonly Float64Array[], random: () => number): Float64Array {
  const total = strata.reduce((n, s) => n + s.length, 0);
  const out = new Float64Array(total);
  let k = 0;
  for (const s of strata) for (let i = 0; i < s.length; i++) out[k++] = s[Math.floor(random() * s.length)];
  return out.sort();
}

export interface Interval {
  readonly low: number;
  readonly high: number;
}

/**
 * 95% percentile-bootstrap intervals for quantile(traced) − quantile(baseline), one per q.
 * Rounds are strata: each replicate resamples within every round, so round-to-round drift
 * stays in the interval instead of being averaged away.
 */
export function bootstrapDifference(
  traced: readonly Float64Array[],
  baseline: readonly Float64Array[],
  qs: readonly number[],
  random: () => number,
  replicates = 1000,
): Interval[] {
  const diffs = qs.map(() => new Float64Array(replicates));
  for (let r = 0; r < replicates; r++) {
    const t = resample(traced, random);
    const b = resample(baseline, random);
    qs.forEach((q, i) => {
      diffs[i][r] = quantileSorted(t, q) - quantileSorted(b, q);
    });
  }
  return diffs.map((d) => {
    d.sort();
    return { low: quantileSorted(d, 0.025), high: quantileSorted(d, 0.975) };
  });
}

/** Fewer replicates for very large runs, so the analysis stays in seconds. */
export function replicatesFor(sampleCount: number): number {
  return Math.max(200, Math.min(1000, Math.floor(2e7 / Math.max(1, sampleCount))));
}
