// Reproducibility across runs: each run's interval against the other runs' pooled estimate.
import { describe, expect, it } from 'vitest';
import type { RoundSamples } from '../../infra/analysis/intervals.ts';
import { meetsTargets, type RunSamples, reproducibility } from '../../infra/analysis/reproducibility.ts';
import { seededRandom } from '../../infra/analysis/percentiles.ts';

function rounds(shift: number, seed: string): RoundSamples[] {
  const random = seededRandom(seed);
  return Array.from({ length: 5 }, (_, r) => {
    const latency = Float64Array.from({ length: 1000 }, () => 100 + random() * 20 + shift);
    return { round: r + 1, latencyMs: latency, endMs: latency.map((_, i) => i * 20), sorted: Float64Array.from(latency).sort() };
  });
}

const run = (id: string, tracedShift: number, seed = id): RunSamples => ({
  runId: id,
  baseline: 'baseline',
  topologies: new Map([
    ['baseline', rounds(0, `${seed}-b`)],
    ['inprocess', rounds(tracedShift, `${seed}-t`)],
  ]),
});

describe('reproducibility', () => {
  it('runs of the same process cover each other, with a spread inside a typical interval', () => {
    const [t] = reproducibility(
      [1, 2, 3, 4, 5].map((i) => run(`r${i}`, 2)),
      ['rounds-jackknife'],
    );
    expect(t.topology).toBe('inprocess');
    expect(t.estimates).toHaveLength(5);
    const m = t.methods[0];
    expect(m.covered).toBeGreaterThanOrEqual(4);
    expect(m.intervals.filter((i) => i?.covers).length).toBe(m.covered);
    expect(meetsTargets(t, 'rounds-jackknife')).toEqual({ coverage: true, spread: true });
  });

  it('a run whose process differed (+40 ms) neither covers the others nor is covered, and the spread shows it', () => {
    const runs = [run('r1', 2), run('r2', 2), run('r3', 2), run('r4', 2), run('odd', 42)];
    const [t] = reproducibility(runs, ['rounds-jackknife']);
    const odd = t.methods[0].intervals.find((i) => i?.runId === 'odd')!;
    expect(odd.covers).toBe(false);
    expect(odd.low).toBeGreaterThan(odd.othersPooledMs);
    expect(t.spreadMs).toBeGreaterThan(35);
    expect(meetsTargets(t, 'rounds-jackknife').spread).toBe(false);
  });

  it('needs two runs at least', () => {
    expect(() => reproducibility([run('only', 1)])).toThrow(/at least two runs/);
  });
});
