// Whether an overhead changes between two values of a sweep: the change of Δ, that is
// (traced − baseline) at the last value minus (traced − baseline) at the first, with an
// interval made as every other interval of tracelab is — rounds as the unit. All four sample
// sets ran in the same rounds (a sweep interleaves its values), so deleting round r from all
// four at once keeps what they share; the delete-one-round jackknife gives the standard
// error, Student's t with R − 1 degrees of freedom the interval.
import { type DifferenceInterval, minSamplesFor, type RoundSamples } from './intervals.ts';
import { quantileSorted } from './percentiles.ts';
import { studentTQuantile } from './student-t.ts';

/** A signed term of the contrast: +1 for what is added, −1 for what is taken away. */
export interface ContrastTerm {
  readonly rounds: readonly RoundSamples[];
  readonly sign: 1 | -1;
}

/**
 * Interval for Σ sign × quantile_q(pooled rounds) over the rounds every term has; undefined
 * with fewer than 3 such rounds or too few samples for q in a term.
 */
export function contrastInterval(terms: readonly ContrastTerm[], q: number, confidence = 0.95): DifferenceInterval | undefined {
  const present = terms.map((t) => new Set(t.rounds.filter((r) => r.sorted.length > 0).map((r) => r.round)));
  const rounds = [...present[0]].filter((r) => present.every((set) => set.has(r))).sort((a, b) => a - b);
  const sets = terms.map((t) => rounds.map((r) => t.rounds.find((x) => x.round === r)!.sorted));
  if (sets.some((set) => set.reduce((n, s) => n + s.length, 0) < minSamplesFor(q))) return undefined;
  const R = rounds.length;
  if (R < 3) return undefined;
  const value = (skip: number) => terms.reduce((sum, t, i) => sum + t.sign * quantileSorted(pooled(sets[i], skip), q), 0);
  const estimate = value(-1);
  const leaveOut = rounds.map((_, r) => value(r));
  const mean = leaveOut.reduce((s, v) => s + v, 0) / R;
  const se = Math.sqrt(((R - 1) / R) * leaveOut.reduce((s, v) => s + (v - mean) ** 2, 0));
  const t = studentTQuantile(1 - (1 - confidence) / 2, R - 1);
  return { estimate, low: estimate - t * se, high: estimate + t * se, halfWidth: t * se, rounds: R, method: 'rounds-jackknife' };
}

/** Δ(last) − Δ(first): how much the overhead moved between two values. */
export function changeOfOverhead(
  first: { traced: readonly RoundSamples[]; baseline: readonly RoundSamples[] },
  last: { traced: readonly RoundSamples[]; baseline: readonly RoundSamples[] },
  q: number,
  confidence = 0.95,
): DifferenceInterval | undefined {
  return contrastInterval(
    [
      { rounds: last.traced, sign: 1 },
      { rounds: last.baseline, sign: -1 },
      { rounds: first.traced, sign: -1 },
      { rounds: first.baseline, sign: 1 },
    ],
    q,
    confidence,
  );
}

function pooled(rounds: readonly Float64Array[], skip: number): Float64Array {
  const out = new Float64Array(rounds.reduce((n, r, i) => (i === skip ? n : n + r.length), 0));
  let k = 0;
  rounds.forEach((r, i) => {
    if (i === skip) return;
    out.set(r, k);
    k += r.length;
  });
  return out.sort();
}
