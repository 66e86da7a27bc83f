// Confidence intervals for a difference of percentiles between two topologies, measured in
// the same rounds. The tail of a traced app is made of a few discrete stalls (an export
// serialising a batch, a major GC) that delay every request in flight at that moment: such
// requests are not independent, and the stalls' count and timing vary from slot to slot. So
// the unit of replication is the ROUND, not the request — each slot runs a freshly started
// app, and the rounds are independent replicates of the whole slot.
//
// The method (ROUNDS_JACKKNIFE): the estimate is the difference of the pooled percentiles;
// its standard error is the delete-one-round jackknife, deleting round r from both sides at
// once (they ran back to back, so they share that round's drift); the interval uses
// Student's t with R − 1 degrees of freedom, honest for a handful of rounds. Kept for
// comparison (the validation command prints how each covers across runs): the same rounds
// resampled by a bootstrap instead (ROUNDS_BOOTSTRAP: its standard error with the same t; the
// delete-one jackknife's variance of a quantile is known to be unstable, the bootstrap's is
// not), resampling requests within rounds (what tracelab used before; it treats requests
// caught by one stall as independent) and resampling time blocks within rounds.
import { quantileSorted, sortedCopy } from './percentiles.ts';
import { studentTQuantile } from './student-t.ts';

export const INTERVAL_METHODS = ['rounds-jackknife', 'rounds-bootstrap', 'request-bootstrap', 'block-bootstrap'] as const;
export type IntervalMethod = (typeof INTERVAL_METHODS)[number];
export const DEFAULT_INTERVAL_METHOD: IntervalMethod = 'rounds-jackknife';

/** One round's successful requests: latencies in time order and when each ended. */
export interface RoundSamples {
  readonly round: number;
  readonly latencyMs: Float64Array;
  readonly endMs: Float64Array;
  /** latencyMs sorted ascending. */
  readonly sorted: Float64Array;
}

export interface DifferenceInterval {
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
  readonly halfWidth: number;
  /** Rounds the interval rests on (both sides had them). */
  readonly rounds: number;
  readonly method: IntervalMethod;
}

export interface IntervalOptions {
  readonly method?: IntervalMethod;
  readonly confidence?: number;
  /** Bootstrap methods only. */
  readonly random?: () => number;
  readonly replicates?: number;
  /** block-bootstrap only: block length in ms (default 2000). */
  readonly blockMs?: number;
}

/** Rounds present on both sides, paired by round number, in round order. */
export function pairRounds(a: readonly RoundSamples[], b: readonly RoundSamples[]): Array<[RoundSamples, RoundSamples]> {
  const byRound = new Map(b.map((r) => [r.round, r]));
  return a
    .filter((r) => byRound.has(r.round) && r.sorted.length > 0 && byRound.get(r.round)!.sorted.length > 0)
    .sort((x, y) => x.round - y.round)
    .map((r) => [r, byRound.get(r.round)!]);
}

function pooled(rounds: readonly Float64Array[], skip = -1): Float64Array {
  const total = rounds.reduce((n, r, i) => (i === skip ? n : n + r.length), 0);
  const out = new Float64Array(total);
  let k = 0;
  rounds.forEach((r, i) => {
    if (i === skip) return;
    out.set(r, k);
    k += r.length;
  });
  return out.sort();
}

/** Smallest pooled sample a q-quantile's interval may rest on: at least ten samples above it. */
export function minSamplesFor(q: number): number {
  return Math.ceil(10 / (1 - q) - 1e-9);
}

/**
 * Interval for quantile_q(a) − quantile_q(b) over the rounds both have; undefined when the
 * rounds are too few (the jackknife needs 3) or the pooled samples too few for q (fewer than
 * ten above the percentile on either side).
 */
export function differenceInterval(
  a: readonly RoundSamples[],
  b: readonly RoundSamples[],
  q: number,
  options: IntervalOptions = {},
): DifferenceInterval | undefined {
  const method = options.method ?? DEFAULT_INTERVAL_METHOD;
  const pairs = pairRounds(a, b);
  const A = pairs.map(([x]) => x);
  const B = pairs.map(([, y]) => y);
  const poolA = pooled(A.map((r) => r.sorted));
  const poolB = pooled(B.map((r) => r.sorted));
  if (Math.min(poolA.length, poolB.length) < minSamplesFor(q)) return undefined;
  const estimate = quantileSorted(poolA, q) - quantileSorted(poolB, q);
  const confidence = options.confidence ?? 0.95;
  let low: number;
  let high: number;
  if (method === 'rounds-jackknife') {
    const R = pairs.length;
    if (R < 3) return undefined;
    const leaveOut = pairs.map(
      (_, r) =>
        quantileSorted(
          pooled(
            A.map((x) => x.sorted),
            r,
          ),
          q,
        ) -
        quantileSorted(
          pooled(
            B.map((y) => y.sorted),
            r,
          ),
          q,
        ),
    );
    const mean = leaveOut.reduce((s, v) => s + v, 0) / R;
    const se = Math.sqrt(((R - 1) / R) * leaveOut.reduce((s, v) => s + (v - mean) ** 2, 0));
    const t = studentTQuantile(1 - (1 - confidence) / 2, R - 1);
    low = estimate - t * se;
    high = estimate + t * se;
  } else if (method === 'rounds-bootstrap') {
    // Whole rounds drawn with replacement, the same draw for both sides (they ran in the same
    // rounds); the replicates' standard deviation is the standard error.
    const R = pairs.length;
    if (R < 3) return undefined;
    const random = options.random ?? Math.random;
    const replicates = options.replicates ?? 1000;
    const diffs = new Float64Array(replicates);
    for (let i = 0; i < replicates; i++) {
      const draw = Array.from({ length: R }, () => Math.floor(random() * R));
      diffs[i] = quantileSorted(pooled(draw.map((k) => A[k].sorted)), q) - quantileSorted(pooled(draw.map((k) => B[k].sorted)), q);
    }
    const mean = diffs.reduce((s, v) => s + v, 0) / replicates;
    const se = Math.sqrt(diffs.reduce((s, v) => s + (v - mean) ** 2, 0) / (replicates - 1));
    const t = studentTQuantile(1 - (1 - confidence) / 2, R - 1);
    low = estimate - t * se;
    high = estimate + t * se;
  } else {
    const random = options.random ?? Math.random;
    const replicates = options.replicates ?? 1000;
    const draw = method === 'request-bootstrap' ? resampleRequests : blockResampler(options.blockMs ?? 2000);
    const diffs = new Float64Array(replicates);
    for (let i = 0; i < replicates; i++) diffs[i] = quantileSorted(draw(A, random), q) - quantileSorted(draw(B, random), q);
    diffs.sort();
    low = quantileSorted(diffs, (1 - confidence) / 2);
    high = quantileSorted(diffs, 1 - (1 - confidence) / 2);
  }
  return { estimate, low, high, halfWidth: (high - low) / 2, rounds: pairs.length, method };
}

/** Resamples requests within each round (rounds are strata), pooled and sorted. */
function resampleRequests(rounds: readonly RoundSamples[], random: () => number): Float64Array {
  const out = new Float64Array(rounds.reduce((n, r) => n + r.sorted.length, 0));
  let k = 0;
  for (const r of rounds) for (let i = 0; i < r.sorted.length; i++) out[k++] = r.sorted[Math.floor(random() * r.sorted.length)];
  return out.sort();
}

/** Resamples whole time blocks within each round: requests caught by one stall stay together. */
function blockResampler(blockMs: number) {
  const cache = new WeakMap<RoundSamples, Float64Array[]>();
  const blocksOf = (r: RoundSamples): Float64Array[] => {
    let blocks = cache.get(r);
    if (!blocks) {
      const start = r.endMs.reduce((m, v) => Math.min(m, v), Number.POSITIVE_INFINITY);
      const groups = new Map<number, number[]>();
      r.endMs.forEach((end, i) => {
        const key = Math.floor((end - start) / blockMs);
        let g = groups.get(key);
        if (!g) {
          g = [];
          groups.set(key, g);
        }
        g.push(r.latencyMs[i]);
      });
      blocks = [...groups.values()].map((g) => Float64Array.from(g));
      cache.set(r, blocks);
    }
    return blocks;
  };
  return (rounds: readonly RoundSamples[], random: () => number): Float64Array => {
    const parts: number[] = [];
    for (const r of rounds) {
      const blocks = blocksOf(r);
      for (let i = 0; i < blocks.length; i++) for (const v of blocks[Math.floor(random() * blocks.length)]) parts.push(v);
    }
    return sortedCopy(parts);
  };
}
