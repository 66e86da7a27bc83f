// ingest-sink's fault injection, in-process with a scripted random source: what a struggling
// Langfuse looks like to an exporter (outage, dropped connections, errors, added latency).
import { describe, expect, it } from 'vitest';
import { Faults } from '../../apps/ingest-sink/src/faults.ts';

/** A random source that returns the given values in turn. */
const script = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length];
};

describe('Faults', () => {
  it('passes every request at once by default', () => {
    const faults = new Faults(() => 0);
    expect(faults.decide()).toEqual({ kind: 'pass', delayMs: 0 });
    expect(faults.get()).toEqual({
      latencyMs: 0,
      jitterMs: 0,
      errorRate: 0,
      errorStatus: 500,
      outageSeconds: 0,
      outageMode: '503',
      dropRate: 0,
      forSeconds: 0,
      outageRemainingSeconds: 0,
    });
  });

  it('an outage answers 503 until it ends, then requests pass', () => {
    const faults = new Faults(() => 0.99);
    faults.set({ outageSeconds: 2 }, 1000);
    expect(faults.decide(1000)).toEqual({ kind: 'error', status: 503 });
    expect(faults.decide(2999)).toEqual({ kind: 'error', status: 503 });
    expect(faults.decide(3000)).toEqual({ kind: 'pass', delayMs: 0 });
  });

  it('reports the outage time left', () => {
    const faults = new Faults();
    faults.set({ outageSeconds: 60 });
    expect(faults.get().outageRemainingSeconds).toBeGreaterThan(59);
    expect(faults.get().outageRemainingSeconds).toBeLessThanOrEqual(60);
  });

  it('drops a connection when the random draw is below dropRate, before any error is considered', () => {
    const faults = new Faults(script(0.2, 0.4));
    faults.set({ dropRate: 0.3, errorRate: 1 });
    expect(faults.decide()).toEqual({ kind: 'drop' });
    // Langfuse answers a storage failure with 500 (the default errorStatus).
    expect(faults.decide()).toEqual({ kind: 'error', status: 500 });
  });

  it('answers errorStatus when the draw is below errorRate', () => {
    const faults = new Faults(script(0.49, 0.5));
    faults.set({ errorRate: 0.5, errorStatus: 429 });
    expect(faults.decide()).toEqual({ kind: 'error', status: 429 });
    expect(faults.decide()).toEqual({ kind: 'pass', delayMs: 0 });
  });

  it('adds latency ± jitter, never below zero', () => {
    const at = (r: number, settings: object) => {
      const faults = new Faults(() => r);
      faults.set(settings);
      return faults.decide();
    };
    expect(at(0.5, { latencyMs: 100 })).toEqual({ kind: 'pass', delayMs: 100 });
    expect(at(0, { latencyMs: 100, jitterMs: 30 })).toEqual({ kind: 'pass', delayMs: 70 });
    expect(at(0.75, { latencyMs: 100, jitterMs: 30 })).toEqual({ kind: 'pass', delayMs: 115 });
    expect(at(0, { latencyMs: 10, jitterMs: 30 })).toEqual({ kind: 'pass', delayMs: 0 });
  });

  it('does not draw a random number for a fault that is off', () => {
    let draws = 0;
    const faults = new Faults(() => {
      draws++;
      return 0;
    });
    faults.decide();
    expect(draws).toBe(0);
  });

  it('replacing the settings resets what was not given, including a running outage', () => {
    const faults = new Faults(() => 0.99);
    faults.set({ outageSeconds: 100, latencyMs: 5 }, 0);
    faults.set({}, 0);
    expect(faults.decide(1)).toEqual({ kind: 'pass', delayMs: 0 });
  });

  it.each([
    [{ errorRate: 2 }, /errorRate/],
    [{ errorStatus: 404 }, /errorStatus/],
    [{ latency: 5 }, /latency/],
    [{ dropRate: -1 }, /dropRate/],
  ])('rejects %o naming the field and keeps the old settings', (input, field) => {
    const faults = new Faults();
    faults.set({ latencyMs: 7 });
    expect(() => faults.set(input)).toThrow(field);
    expect(faults.get().latencyMs).toBe(7);
  });
});
