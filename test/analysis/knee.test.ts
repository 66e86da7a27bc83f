// Knee detection with known answers: synthetic targets whose capacity is set by construction
// (a single server with a fixed service time, requests arriving evenly as k6's open model
// sends them), judged against an SLO and searched the way `tracelab capacity` searches.
import { describe, expect, it } from 'vitest';
import { judgeStep, kneeOf, type SloLimits, type StepMeasurement } from '../../infra/analysis/knee.ts';
import { seededRandom } from '../../infra/analysis/percentiles.ts';
import { nextRate, type SearchOptions } from '../../infra/experiment/knee-search.ts';

const SLO: SloLimits = { p99Ms: 100, maxErrorRatio: 0.01, maxDroppedIterations: 0, maxSpanLossRatio: 0 };

function measurement(latencies: number[], extra: Partial<StepMeasurement> = {}): StepMeasurement {
  return {
    rate: 10,
    sortedLatencyMs: Float64Array.from(latencies).sort(),
    requests: latencies.length,
    failed: 0,
    droppedIterations: 0,
    spansEnded: 600,
    spansDelivered: 600,
    ...extra,
  };
}

/**
 * A single-server queue (Lindley's recursion): requests arrive every 1000/rate ms (with a
 * little seeded jitter, as timers have), each needs `serviceMs` of the one core. Below
 * capacity nothing waits; above it the queue grows for the whole step and the p99 explodes.
 */
function queueLatencies(rate: number, capacityRps: number, seconds: number, seed: string): number[] {
  const random = seededRandom(seed);
  const serviceMs = 1000 / capacityRps;
  const gap = 1000 / rate;
  const out: number[] = [];
  let wait = 0;
  for (let i = 0; i < rate * seconds; i++) {
    const service = serviceMs * (0.97 + 0.06 * random());
    out.push(wait + service);
    const nextGap = gap * (0.9 + 0.2 * random());
    wait = Math.max(0, wait + service - nextGap);
  }
  return out;
}

describe('judgeStep: a step against the SLO', () => {
  const fine = Array.from({ length: 1000 }, (_, i) => 10 + (i % 10));

  it('keeps the SLO when p99, errors, drops and span loss are all within it', () => {
    const v = judgeStep(measurement(fine), SLO);
    expect(v.ok).toBe(true);
    expect(v.breaches).toEqual([]);
    expect(v.p99Ms).toBeCloseTo(19, 6);
    expect(v.p50Ms).toBeCloseTo(14.5, 6);
  });

  it('names every part that broke', () => {
    const slow = [...fine.slice(0, 980), ...Array.from({ length: 20 }, () => 250)];
    expect(judgeStep(measurement(slow), SLO).breaches).toEqual(['p99']);
    expect(judgeStep(measurement(fine, { requests: 1000, failed: 11 }), SLO).breaches).toEqual(['errors']);
    expect(judgeStep(measurement(fine, { requests: 1000, failed: 10 }), SLO).ok).toBe(true); // exactly 1% is allowed
    expect(judgeStep(measurement(fine, { droppedIterations: 1 }), SLO).breaches).toEqual(['dropped']);
    expect(judgeStep(measurement(fine, { spansDelivered: 599 }), SLO).breaches).toEqual(['spans-lost']);
    expect(judgeStep(measurement(slow, { droppedIterations: 3, failed: 50 }), SLO).breaches).toEqual(['p99', 'errors', 'dropped']);
  });

  it('a step without one successful request broke the latency SLO', () => {
    const v = judgeStep(measurement([], { requests: 100, failed: 100 }), SLO);
    expect(v.breaches).toEqual(['p99', 'errors']);
  });
});

describe('kneeOf: the bracket between the highest kept and the lowest broken rate', () => {
  const step = (rate: number, ok: boolean) => ({ rate, ok, breaches: ok ? [] : (['p99'] as const).slice() });

  it('found: middle of the bracket, half of it as uncertainty', () => {
    const k = kneeOf([step(20, true), step(40, true), step(80, false), step(60, true), step(70, false)]);
    expect(k).toMatchObject({ status: 'found', keptRps: 60, brokeRps: 70, estimateRps: 65, uncertaintyRps: 5, breaches: ['p99'], nonMonotone: false });
  });

  it('above-max and below-min when the search never crossed the knee', () => {
    expect(kneeOf([step(10, true), step(20, true)])).toMatchObject({ status: 'above-max', keptRps: 20 });
    expect(kneeOf([step(10, false), step(5, false)])).toMatchObject({ status: 'below-min', brokeRps: 5 });
    expect(kneeOf([]).status).toBe('none');
  });

  it('a kept rate above the lowest break is flagged as noise; the bracket uses the lowest break', () => {
    const k = kneeOf([step(50, true), step(100, false), step(75, false), step(90, true)]);
    expect(k).toMatchObject({ status: 'found', keptRps: 50, brokeRps: 75, nonMonotone: true });
  });
});

describe('nextRate: rise by a factor, then bisect', () => {
  const options: SearchOptions = { startRate: 10, maxRate: 2000, growth: 2, resolution: 0.02, maxSteps: 20 };
  const search = (judge: (rate: number) => boolean, o = options) => {
    const history: Array<{ rate: number; ok: boolean; breaches: string[] }> = [];
    for (let rate = nextRate(history, o); rate !== undefined; rate = nextRate(history, o)) {
      const ok = judge(rate);
      history.push({ rate, ok, breaches: ok ? [] : ['p99'] });
    }
    return history;
  };

  it.each([7, 37, 100, 480, 1500])('brackets a threshold at %i req/s within the resolution', (capacity) => {
    const history = search((rate) => rate <= capacity);
    const k = kneeOf(history);
    expect(k.status).toBe('found');
    expect(k.keptRps).toBeLessThanOrEqual(capacity);
    expect(k.brokeRps).toBeGreaterThan(capacity);
    expect((k.brokeRps! - k.keptRps!) / k.keptRps!).toBeLessThanOrEqual(Math.max(options.resolution, 1 / k.keptRps!));
    expect(history.length).toBeLessThanOrEqual(options.maxSteps);
  });

  it('stops at maxRate when the target never breaks, and at maxSteps whatever happens', () => {
    const above = search(() => true);
    expect(above.at(-1)!.rate).toBe(2000);
    expect(kneeOf(above).status).toBe('above-max');
    expect(search((rate) => rate <= 333, { ...options, maxSteps: 4 })).toHaveLength(4);
  });

  it('steps down when the start rate already breaks', () => {
    const history = search((rate) => rate <= 3);
    expect(history[0]).toMatchObject({ rate: 10, ok: false });
    expect(kneeOf(history)).toMatchObject({ status: 'found', keptRps: 3, brokeRps: 4 });
  });
});

describe('capacity known by construction: a queue whose server takes 1/C s per request', () => {
  it.each([40, 100, 250])('finds C = %i req/s within 5%% from synthetic samples judged against the SLO', (capacity) => {
    const slo = { ...SLO, p99Ms: (10 * 1000) / capacity }; // ten service times, as the benchmark sets it
    const o: SearchOptions = { startRate: Math.round(capacity / 5), maxRate: 10 * capacity, growth: 2, resolution: 0.02, maxSteps: 14 };
    const history: Array<ReturnType<typeof judgeStep>> = [];
    for (let rate = nextRate(history, o); rate !== undefined; rate = nextRate(history, o)) {
      history.push(judgeStep(measurement(queueLatencies(rate, capacity, 10, `q-${capacity}-${rate}`), { rate }), slo));
    }
    const k = kneeOf(history);
    expect(k.status).toBe('found');
    expect(Math.abs(k.estimateRps! - capacity) / capacity).toBeLessThan(0.05);
    // Below the knee the queue never builds: p99 stays about one service time.
    const low = history.find((h) => h.rate === o.startRate)!;
    expect(low.p99Ms).toBeLessThan(1.1 * (1000 / capacity));
  });
});
