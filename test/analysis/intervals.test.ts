// Known-answer tests for the interval method. Synthetic runs whose tail is made of a few
// stalls per round (test/support/synthetic-tail.ts) have a true p99 difference we can compute
// from thousands of rounds; over many short runs, a 95% interval must contain it about 95% of
// the time. Resampling requests within rounds (tracelab's old method) treats requests caught
// by one stall as independent and covers far less often; rounds as the unit do not.
import { describe, expect, it } from 'vitest';
import { differenceInterval, type IntervalMethod, minSamplesFor, pairRounds, type RoundSamples } from '../../infra/analysis/intervals.ts';
import { quantileSorted, seededRandom } from '../../infra/analysis/percentiles.ts';
import { studentTCdf, studentTQuantile } from '../../infra/analysis/student-t.ts';
import { DEFAULT_TAIL, syntheticRun } from '../support/synthetic-tail.ts';

const pooled = (rounds: readonly RoundSamples[]) => Float64Array.from(rounds.flatMap((r) => Array.from(r.sorted))).sort();

describe("Student's t quantile", () => {
  it('matches published table values', () => {
    // Two-sided 95% critical values for 1, 2, 4, 9, 29 degrees of freedom, and the normal limit.
    const table: Array<[number, number]> = [
      [1, 12.7062],
      [2, 4.3027],
      [4, 2.7764],
      [9, 2.2622],
      [29, 2.0452],
      [1e6, 1.96],
    ];
    for (const [df, t] of table) expect(studentTQuantile(0.975, df)).toBeCloseTo(t, 3);
    expect(studentTQuantile(0.5, 7)).toBe(0);
    expect(studentTQuantile(0.025, 4)).toBeCloseTo(-2.7764, 3);
    expect(studentTCdf(2.2622, 9)).toBeCloseTo(0.975, 4);
  });

  it('rejects impossible arguments', () => {
    expect(() => studentTQuantile(1, 3)).toThrow(/0 < p < 1/);
    expect(() => studentTQuantile(0.9, 0)).toThrow(/df ≥ 1/);
  });
});

describe('differenceInterval on rounds with clustered stalls', { timeout: 60_000 }, () => {
  const q = 0.99;
  const truthRun = syntheticRun(DEFAULT_TAIL, 3000, 'truth');
  const truth = quantileSorted(pooled(truthRun.traced), q) - quantileSorted(pooled(truthRun.baseline), q);
  const RUNS = 80;
  const coverage = (method: IntervalMethod) => {
    let covered = 0;
    for (let m = 0; m < RUNS; m++) {
      const run = syntheticRun(DEFAULT_TAIL, 6, `run-${m}`);
      const interval = differenceInterval(run.traced, run.baseline, q, { method, random: seededRandom(`resample-${m}`), replicates: 100 });
      if (!interval) throw new Error(`no interval for run ${m}`);
      if (interval.low <= truth && truth <= interval.high) covered++;
    }
    return covered / RUNS;
  };

  it('has a small positive true difference (the stalls), far below the round-to-round spread', () => {
    expect(truth).toBeGreaterThan(0.7);
    expect(truth).toBeLessThan(3);
  });

  it('rounds as the unit (jackknife, t with R−1 df) cover the truth at about the stated 95%', () => {
    expect(coverage('rounds-jackknife')).toBeGreaterThanOrEqual(0.88);
  });

  it('rounds drawn by a bootstrap (its standard error, the same t) cover the truth about as often', () => {
    expect(coverage('rounds-bootstrap')).toBeGreaterThanOrEqual(0.88);
  });

  it('resampling requests within rounds covers far less often: it understates the uncertainty', () => {
    expect(coverage('request-bootstrap')).toBeLessThanOrEqual(0.82);
  });
});

describe('differenceInterval basics', () => {
  const shifted = (shift: number, rounds: number, seed: string): RoundSamples[] => {
    const random = seededRandom(seed);
    return Array.from({ length: rounds }, (_, i) => {
      const latency = Float64Array.from({ length: 2000 }, () => 100 + random() * 20 + shift);
      return { round: i + 1, latencyMs: latency, endMs: latency.map((_, k) => k * 20), sorted: Float64Array.from(latency).sort() };
    });
  };

  it('finds a known 5 ms shift with an interval around it that excludes zero', () => {
    const i = differenceInterval(shifted(5, 5, 'a'), shifted(0, 5, 'b'), 0.5)!;
    expect(i.estimate).toBeGreaterThan(4);
    expect(i.estimate).toBeLessThan(6);
    expect(i.low).toBeGreaterThan(0);
    expect(i.low).toBeLessThan(5);
    expect(i.high).toBeGreaterThan(5);
    expect(i.halfWidth).toBeCloseTo((i.high - i.low) / 2, 12);
    expect(i).toMatchObject({ rounds: 5, method: 'rounds-jackknife' });
  });

  it('includes zero when there is no difference', () => {
    const i = differenceInterval(shifted(0, 5, 'c'), shifted(0, 5, 'd'), 0.5)!;
    expect(i.low).toBeLessThan(0);
    expect(i.high).toBeGreaterThan(0);
  });

  it('gives no interval with fewer than 3 paired rounds, or fewer than 10/(1−q) samples', () => {
    expect(differenceInterval(shifted(1, 2, 'e'), shifted(0, 2, 'f'), 0.5)).toBeUndefined();
    expect(minSamplesFor(0.99)).toBe(1000);
    expect(minSamplesFor(0.999)).toBe(10_000);
    // 5 rounds × 2000 = 10,000 samples: exactly enough for p99.9.
    expect(differenceInterval(shifted(1, 5, 'g'), shifted(0, 5, 'h'), 0.999)).toBeDefined();
    expect(differenceInterval(shifted(1, 4, 'g'), shifted(0, 4, 'h'), 0.999)).toBeUndefined();
  });

  it('pairs rounds by number and drops rounds only one side has', () => {
    const a = shifted(0, 4, 'i');
    const b = shifted(0, 4, 'j').filter((r) => r.round !== 2);
    expect(pairRounds(a, b).map(([x, y]) => [x.round, y.round])).toEqual([
      [1, 1],
      [3, 3],
      [4, 4],
    ]);
  });
});
