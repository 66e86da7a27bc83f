import { describe, expect, it } from 'vitest';
import { quantileSorted } from '../../infra/analysis/percentiles.ts';

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
