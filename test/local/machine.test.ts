import { describe, expect, it } from 'vitest';
import { cpuBusy, cpuTimes, pinningPlan } from '../../infra/local/machine.ts';

describe('machine', () => {
  it('pins the app under test to the last core and the rest to the others', () => {
    expect(pinningPlan(2, true)).toEqual({ app: '1', support: '0' });
    expect(pinningPlan(8, true)).toEqual({ app: '7', support: '0-6' });
    expect(pinningPlan(1, true)).toEqual({});
    expect(pinningPlan(8, false)).toEqual({});
  });

  it.runIf(process.platform === 'linux')('measures per-core busy share, which rises while this process burns CPU', () => {
    const before = cpuTimes();
    const until = performance.now() + 300;
    while (performance.now() < until);
    const busy = cpuBusy(before, cpuTimes());
    const shares = Object.values(busy);
    expect(shares.length).toBeGreaterThan(0);
    for (const share of shares) {
      expect(share).toBeGreaterThanOrEqual(0);
      expect(share).toBeLessThanOrEqual(1);
    }
    // One core was kept busy for the whole window: the busiest must show it.
    expect(Math.max(...shares)).toBeGreaterThan(0.5);
  });
});
