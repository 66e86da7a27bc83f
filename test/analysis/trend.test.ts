// The change of an overhead across a sweep (Δ at the last value − Δ at the first), with its
// rounds-jackknife interval, and the exec-time claim judged from it — on synthetic rounds
// whose true change is known.
import { describe, expect, it } from 'vitest';
import { bandOf, constancyOf, judgeClaim } from '../../infra/analysis/claim.ts';
import type { RoundSamples } from '../../infra/analysis/intervals.ts';
import { seededRandom } from '../../infra/analysis/percentiles.ts';
import type { SweepSeries } from '../../infra/analysis/sweep-results.ts';
import { changeOfOverhead, contrastInterval } from '../../infra/analysis/trend.ts';

/** Rounds of `n` requests: a base latency, the same per-request work in every set (common numbers), round drift, and `shiftMs` added. */
function rounds(seed: string, shiftMs: number, count = 5, n = 2000): RoundSamples[] {
  return Array.from({ length: count }, (_, r) => {
    const work = seededRandom(`work-${r}`); // the same requests in every set of a round
    const noise = seededRandom(`${seed}-${r}`);
    const drift = (r % 3) * 0.4;
    const latencyMs = Float64Array.from({ length: n }, () => 100 + 20 * work() + drift + shiftMs + 0.3 * noise());
    return { round: r + 1, latencyMs, endMs: Float64Array.from({ length: n }, (_, i) => i), sorted: Float64Array.from(latencyMs).sort() };
  });
}

describe('changeOfOverhead', () => {
  it('finds a known change of the overhead and resolves it from zero', () => {
    const first = { traced: rounds('t1', 2), baseline: rounds('b1', 0) };
    const last = { traced: rounds('t2', 5), baseline: rounds('b2', 0) };
    for (const q of [0.5, 0.99]) {
      const c = changeOfOverhead(first, last, q)!;
      expect(c.estimate).toBeGreaterThan(2.5);
      expect(c.estimate).toBeLessThan(3.5);
      expect(c.low).toBeGreaterThan(0);
      expect(c.low).toBeLessThanOrEqual(3.05);
      expect(c.high).toBeGreaterThanOrEqual(2.95);
      expect(c.rounds).toBe(5);
    }
  });

  it('a constant overhead gives a change near zero whose interval contains zero', () => {
    const c = changeOfOverhead({ traced: rounds('t1', 2), baseline: rounds('b1', 0) }, { traced: rounds('t2', 2), baseline: rounds('b2', 0) }, 0.5)!;
    expect(Math.abs(c.estimate)).toBeLessThan(0.3);
    expect(c.low).toBeLessThan(0);
    expect(c.high).toBeGreaterThan(0);
  });

  it('the baseline moving with the value is not a change of the overhead', () => {
    // Longer LLM calls slow both sides by 900 ms; tracing still adds 2 ms.
    const c = changeOfOverhead({ traced: rounds('t1', 2), baseline: rounds('b1', 0) }, { traced: rounds('t2', 902), baseline: rounds('b2', 900) }, 0.5)!;
    expect(Math.abs(c.estimate)).toBeLessThan(0.3);
  });

  it('no interval with fewer than 3 common rounds or too few samples for the percentile', () => {
    const two = (s: string) => rounds(s, 0, 2);
    expect(
      contrastInterval(
        [
          { rounds: two('a'), sign: 1 },
          { rounds: two('b'), sign: -1 },
        ],
        0.5,
      ),
    ).toBeUndefined();
    const small = (s: string) => rounds(s, 0, 3, 300); // 900 pooled < 1000 needed for p99
    expect(
      contrastInterval(
        [
          { rounds: small('a'), sign: 1 },
          { rounds: small('b'), sign: -1 },
        ],
        0.99,
      ),
    ).toBeUndefined();
    expect(
      contrastInterval(
        [
          { rounds: small('a'), sign: 1 },
          { rounds: small('b'), sign: -1 },
        ],
        0.5,
      ),
    ).toBeDefined();
  });
});

describe('the exec-time claim: a constant ~2–3 ms overhead', () => {
  const claim = { kind: 'constant-overhead' as const, lowMs: 2, highMs: 3, toleranceMs: 1 };
  const change = (low: number, high: number) => ({ from: '100ms', to: '5s', ms: (low + high) / 2, ciLowMs: low, ciHighMs: high });

  it('constancy from the interval of the change', () => {
    expect(constancyOf(change(0.4, 1.8), 1)).toBe('changes');
    expect(constancyOf(change(-2, -0.1), 1)).toBe('changes');
    expect(constancyOf(change(-0.6, 0.8), 1)).toBe('constant');
    expect(constancyOf(change(-3, 2), 1)).toBe('undecided');
    expect(constancyOf(change(-1.5, 1.2), 1)).toBe('undecided'); // resolved from nothing, but wider than ±1 ms
    expect(constancyOf(change(-1, 1), 1)).toBe('constant'); // the tolerance itself is inside
    expect(constancyOf({ from: 'a', to: 'b', ms: 1 }, 1)).toBe('no-interval');
  });

  it('size against the claimed band', () => {
    expect(bandOf(0.3, 0.9, claim)).toBe('below');
    expect(bandOf(3.2, 4, claim)).toBe('above');
    expect(bandOf(1.5, 2.2, claim)).toBe('within');
    expect(bandOf(undefined, 2, claim)).toBe('no-interval');
  });

  const series = (label: string, c50: ReturnType<typeof change>, c99: ReturnType<typeof change>): SweepSeries => ({
    topology: label,
    kind: 'inprocess',
    fixed: [],
    label,
    points: [],
    change: { p50: c50, p99: c99 },
  });

  it('confirmed only when every topology is constant within the tolerance at p50 and p99', () => {
    expect(judgeClaim(claim, [series('a', change(-0.5, 0.5), change(-0.9, 0.7)), series('b', change(-0.2, 0.3), change(-0.4, 0.4))]).overall).toBe('confirmed');
    expect(judgeClaim(claim, [series('a', change(-0.5, 0.5), change(0.2, 2)), series('b', change(-0.2, 0.3), change(-0.4, 0.4))])).toMatchObject({
      overall: 'refuted',
      series: [
        { label: 'a', constancy: 'changes' },
        { label: 'b', constancy: 'constant' },
      ],
    });
    expect(judgeClaim(claim, [series('a', change(-0.5, 0.5), change(-4, 3))]).overall).toBe('undecided');
    expect(judgeClaim(claim, []).overall).toBe('undecided');
  });
});
