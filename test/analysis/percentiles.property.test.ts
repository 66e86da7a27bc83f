// The quantile behind every percentile in the report, against an oracle written from
// Hyndman & Fan's general definition (type 7: m = 1 − p) over a plainly sorted array.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quantileSorted, sortedCopy } from '../../infra/analysis/percentiles.ts';
import { runs } from '../support/property-runs.ts';

/** Hyndman & Fan (1996), Q(p) = (1 − γ)·x_j + γ·x_{j+1} with j = ⌊np + m⌋, γ = np + m − j, m = 1 − p (1-based x). */
function oracle(values: readonly number[], p: number): number {
  const x = [...values].sort((a, b) => a - b);
  const n = x.length;
  const m = 1 - p;
  const j = Math.floor(n * p + m);
  const g = n * p + m - j;
  const at = (k: number) => x[Math.min(n, Math.max(1, k)) - 1];
  return (1 - g) * at(j) + g * at(j + 1);
}

// Latencies as a lab records them (ms, 0.01 ms resolution, many ties), and the quantiles the
// report asks for besides any other: fc.double alone favours extremes (1e-300, 1 − 1e-16)
// where interpolation errors vanish below any tolerance.
const latencies = fc.array(
  fc.integer({ min: 0, max: 2_000_000 }).map((v) => v / 100),
  { minLength: 1, maxLength: 300 },
);
const q = fc.oneof(
  fc.constantFrom(0, 0.5, 0.9, 0.95, 0.99, 0.999, 1),
  fc.integer({ min: 0, max: 100_000 }).map((v) => v / 100_000),
  fc.double({ min: 0, max: 1, noNaN: true }),
);
const close = (a: number, b: number, scale: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(scale));

describe('quantileSorted (property-based)', () => {
  it('equals the sorted-array oracle for any sample and any q', () => {
    fc.assert(
      fc.property(latencies, q, (values, p) => {
        const got = quantileSorted(sortedCopy(values), p);
        expect(close(got, oracle(values, p), Math.max(...values))).toBe(true);
      }),
      runs(500),
    );
  });

  it('lies between the closest ranks, splits the sample at q, and Q(0), Q(1) are the min and max', () => {
    fc.assert(
      fc.property(latencies, q, (values, p) => {
        const sorted = sortedCopy(values);
        const n = sorted.length;
        const got = quantileSorted(sorted, p);
        const h = p * (n - 1);
        expect(got).toBeGreaterThanOrEqual(sorted[Math.floor(h)]);
        expect(got).toBeLessThanOrEqual(sorted[Math.ceil(h)]);
        expect(values.filter((v) => v < got).length).toBeLessThanOrEqual(Math.ceil(h));
        expect(values.filter((v) => v <= got).length).toBeGreaterThanOrEqual(Math.floor(h) + 1);
        expect(quantileSorted(sorted, 0)).toBe(sorted[0]);
        expect(quantileSorted(sorted, 1)).toBe(sorted[n - 1]);
      }),
      runs(100),
    );
  });

  it('is monotone in q', () => {
    fc.assert(
      fc.property(latencies, q, q, (values, a, b) => {
        const sorted = sortedCopy(values);
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(quantileSorted(sorted, lo)).toBeLessThanOrEqual(quantileSorted(sorted, hi) + 1e-9);
      }),
      runs(100),
    );
  });

  it('moves with a shift and scales with a scale of the data (ms → s gives the same percentile)', () => {
    fc.assert(
      fc.property(latencies, q, fc.double({ min: 0.001, max: 1000, noNaN: true }), fc.double({ min: -1000, max: 1000, noNaN: true }), (values, p, a, b) => {
        const base = quantileSorted(sortedCopy(values), p);
        const moved = quantileSorted(sortedCopy(values.map((v) => a * v + b)), p);
        expect(Math.abs(moved - (a * base + b))).toBeLessThanOrEqual(1e-7 * Math.max(1, Math.abs(a * 1e5) + Math.abs(b)));
      }),
      runs(100),
    );
  });

  it('sortedCopy sorts numerically (not as text), negatives included, and leaves its input alone', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true })), (values) => {
        const before = [...values];
        expect([...sortedCopy(values)]).toEqual([...values].sort((a, b) => a - b));
        expect(values).toEqual(before);
      }),
      runs(100),
    );
    expect([...sortedCopy([10, 9, -1, 100])]).toEqual([-1, 9, 10, 100]);
  });

  it('a single sample is every quantile; no samples is NaN', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), q, (v, p) => {
        expect(quantileSorted(Float64Array.of(v), p)).toBe(v);
      }),
      runs(100),
    );
    expect(quantileSorted(new Float64Array(0), 0.5)).toBeNaN();
  });
});
