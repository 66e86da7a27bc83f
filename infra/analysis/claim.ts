// Judging a preset's claim from the intervals. "A constant ~2–3 ms overhead" (the field
// report on execution time) is two claims: constant — the overhead does not move between
// the first and the last value; ~2–3 ms — its size. Constant is confirmed only where the
// interval of the change lies inside ±tolerance (the data pin it down), refuted where the
// interval excludes zero, and undecided where it does neither (too wide to tell).
import type { ConstantOverheadClaim } from '../load/sweep-record.ts';
import type { BandVerdict, ClaimVerdict, ConstancyVerdict, OverheadChange, SweepSeries } from './sweep-results.ts';

export function constancyOf(change: OverheadChange | undefined, toleranceMs: number): ConstancyVerdict {
  if (!change || change.ciLowMs === undefined || change.ciHighMs === undefined) return 'no-interval';
  if (change.ciLowMs > 0 || change.ciHighMs < 0) return 'changes';
  if (change.ciLowMs >= -toleranceMs && change.ciHighMs <= toleranceMs) return 'constant';
  return 'undecided';
}

export function bandOf(low: number | undefined, high: number | undefined, claim: Pick<ConstantOverheadClaim, 'lowMs' | 'highMs'>): BandVerdict {
  if (low === undefined || high === undefined) return 'no-interval';
  if (high < claim.lowMs) return 'below';
  if (low > claim.highMs) return 'above';
  return 'within';
}

/** Constancy at p50 and p99 both; the size at p50 (the typical request the claim is about). */
export function judgeClaim(claim: ConstantOverheadClaim, series: readonly SweepSeries[]): ClaimVerdict {
  const judged = series.map((s) => {
    const verdicts = (['p50', 'p99'] as const).map((k) => constancyOf(s.change?.[k], claim.toleranceMs));
    const constancy: ConstancyVerdict = verdicts.includes('changes')
      ? 'changes'
      : verdicts.every((v) => v === 'constant')
        ? 'constant'
        : verdicts.includes('undecided')
          ? 'undecided'
          : 'no-interval';
    const band = s.points.map((p) => ({ value: p.values[0], verdict: bandOf(p.overhead?.p50.ciLowMs, p.overhead?.p50.ciHighMs, claim) }));
    return { label: s.label, constancy, band };
  });
  const overall =
    judged.length > 0 && judged.some((s) => s.constancy === 'changes')
      ? 'refuted'
      : judged.length > 0 && judged.every((s) => s.constancy === 'constant')
        ? 'confirmed'
        : 'undecided';
  return { kind: 'constant-overhead', lowMs: claim.lowMs, highMs: claim.highMs, toleranceMs: claim.toleranceMs, series: judged, overall };
}
