// The precision loop's stopping rule and the seeded order of topologies per round.
import { describe, expect, it } from 'vitest';
import { roundsNeeded } from '../../infra/analysis/precision.ts';
import { roundOrder } from '../../infra/experiment/order.ts';
import { type PrecisionState, stopReason } from '../../infra/experiment/precision.ts';

const state = (over: Partial<PrecisionState>): PrecisionState => ({
  round: 5,
  minRounds: 3,
  maxRounds: 200,
  targetMs: 0.5,
  elapsedMs: 5 * 60_000,
  budgetMs: 30 * 60_000,
  halfWidthMs: { inprocess: 0.4, collector: 0.45 },
  ...over,
});

describe('precision stopping rule', () => {
  it('stops once every traced topology is at or below the target', () => {
    expect(stopReason(state({}))).toBe('reached');
    expect(stopReason(state({ halfWidthMs: { inprocess: 0.5, collector: 0.5 } }))).toBe('reached');
  });

  it('keeps going while one topology is wider or has no interval yet', () => {
    expect(stopReason(state({ halfWidthMs: { inprocess: 0.4, collector: 0.51 } }))).toBeUndefined();
    expect(stopReason(state({ halfWidthMs: { inprocess: 0.4, collector: null } }))).toBeUndefined();
  });

  it("never stops before the spec's rounds, even when already precise", () => {
    expect(stopReason(state({ round: 2, minRounds: 3 }))).toBeUndefined();
  });

  it('stops when one more round would not fit in the budget, or at the round limit', () => {
    // 5 rounds took 25 min: a sixth (5 min) would end at 30 min + ε.
    expect(stopReason(state({ elapsedMs: 25.1 * 60_000, halfWidthMs: { inprocess: 2 } }))).toBe('budget');
    expect(stopReason(state({ elapsedMs: 24 * 60_000, halfWidthMs: { inprocess: 2 } }))).toBeUndefined();
    expect(stopReason(state({ round: 200, halfWidthMs: { inprocess: 2 } }))).toBe('max-rounds');
  });

  it('estimates the rounds a target would have needed from the 1/√rounds law', () => {
    expect(roundsNeeded(6, 1, 0.5)).toBe(24);
    expect(roundsNeeded(6, 0.4, 0.5)).toBe(6);
    expect(roundsNeeded(6, null, 0.5)).toBeUndefined();
  });
});

describe('order of topologies per round', () => {
  const names = ['baseline', 'inprocess', 'collector', 'sidecar', 'agent'];

  it('is a permutation, the same for the same seed and round', () => {
    const a = roundOrder(names, 'run-1', 3);
    expect([...a].sort()).toEqual([...names].sort());
    expect(roundOrder(names, 'run-1', 3)).toEqual(a);
  });

  it('changes from round to round, so the baseline does not always go first', () => {
    const orders = Array.from({ length: 20 }, (_, i) => roundOrder(names, 'run-1', i + 1));
    expect(new Set(orders.map((o) => o.join())).size).toBeGreaterThan(10);
    const firsts = new Set(orders.map((o) => o[0]));
    expect(firsts.size).toBeGreaterThanOrEqual(4);
  });
});
