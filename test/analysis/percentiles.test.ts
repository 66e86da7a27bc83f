import { describe, expect, it } from 'vitest';
import { bootstrapDifference, quantileSorted, seededRandom, sortedCopy } from '../../infra/analysis/percentiles.ts';

const range = (from: number, to: number) => Float64Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('quantileSorted', () => {
  it('gives known percentiles of 1..1001', () => {
    const v = range(1, 1001);
    expect(quantileSorted(v, 0)).toBe(1);
    expect(quantileSorted(v, 0.5)).toBe(501);
    expect(quantileSorted(v, 0.99)).toBe(991);
    expect(quantileSorted(v, 0.999)).toBe(1000);
    expect(quantileSorted(v, 1)).toBe(1001);
  });

  it('interpolates between ranks as k6 does (index q·(n−1))', () => {
    const v = Float64Array.from([10, 20, 30, 40]);
    expect(quantileSorted(v, 0.5)).toBe(25); // index 1.5
    expect(quantileSorted(v, 0.9)).toBeCloseTo(37); // index 2.7
    expect(quantileSorted(Float64Array.from([7]), 0.99)).toBe(7);
    expect(quantileSorted(new Float64Array(0), 0.5)).toBeNaN();
  });
});

describe('bootstrapDifference', () => {
  const random = seededRandom('test');
  const noisy = (seed: string, shift: number) => {
    const r = seededRandom(seed);
    return [0, 1, 2].map(() => sortedCopy(Float64Array.from({ length: 2000 }, () => 100 + r() * 20 + shift)));
  };

  it('finds a known 5 ms shift, with an interval around it that excludes zero', () => {
    const [p50, p99] = bootstrapDifference(noisy('a', 5), noisy('b', 0), [0.5, 0.99], random, 300);
    for (const ci of [p50, p99]) {
      expect(ci.low).toBeGreaterThan(3.5);
      expect(ci.high).toBeLessThan(6.5);
      expect(ci.low).toBeLessThan(5);
      expect(ci.high).toBeGreaterThan(5);
    }
  });

  it('gives an interval containing zero when there is no difference', () => {
    const [p50] = bootstrapDifference(noisy('c', 0), noisy('d', 0), [0.5], random, 300);
    expect(p50.low).toBeLessThan(0);
    expect(p50.high).toBeGreaterThan(0);
  });

  it('is reproducible for the same seed', () => {
    const run = () => bootstrapDifference(noisy('e', 1), noisy('f', 0), [0.95], seededRandom('run-42'), 100);
    expect(run()).toEqual(run());
  });
});
