// Where a topology stops keeping up: each capacity step (one arrival rate) is judged against
// the SLO — p99 of successful requests, the share of failed requests, iterations k6 could not
// start, spans not delivered — and the knee is bracketed between the highest rate that kept
// the SLO and the lowest that broke it. Pure functions over measurements, so known answers
// (synthetic samples) test them.
import type { SloSpec } from '../../contracts/spec/schema.ts';
import { latencyMs } from '../../contracts/spec/fields.ts';
import { quantileSorted } from './percentiles.ts';

export type SloBreach = 'p99' | 'errors' | 'dropped' | 'spans-lost';

export interface StepMeasurement {
  /** Offered arrival rate (req/s, or OTLP requests/s for the gateway). */
  readonly rate: number;
  /** Latencies of the successful requests of the measured phase, sorted ascending. */
  readonly sortedLatencyMs: Float64Array;
  readonly requests: number;
  readonly failed: number;
  readonly droppedIterations: number;
  /** Spans ended by the app (or sent by the generator) and delivered when the drain ended. */
  readonly spansEnded: number;
  readonly spansDelivered: number;
}

export interface SloLimits {
  readonly p99Ms: number;
  readonly maxErrorRatio: number;
  readonly maxDroppedIterations: number;
  readonly maxSpanLossRatio: number;
}

export const sloLimits = (slo: SloSpec): SloLimits => ({
  p99Ms: latencyMs(slo.p99),
  maxErrorRatio: slo.maxErrorRatio,
  maxDroppedIterations: slo.maxDroppedIterations,
  maxSpanLossRatio: slo.maxSpanLossRatio,
});

export interface StepVerdict {
  readonly rate: number;
  readonly ok: boolean;
  readonly breaches: SloBreach[];
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errorRatio: number;
  readonly droppedIterations: number;
  readonly lossRatio: number;
}

export function judgeStep(m: StepMeasurement, slo: SloLimits): StepVerdict {
  const p99Ms = quantileSorted(m.sortedLatencyMs, 0.99);
  const errorRatio = m.requests > 0 ? m.failed / m.requests : 1;
  const lossRatio = m.spansEnded > 0 ? Math.max(0, m.spansEnded - m.spansDelivered) / m.spansEnded : 0;
  const breaches: SloBreach[] = [];
  // No successful request at all is the worst latency there is.
  if (!(p99Ms <= slo.p99Ms)) breaches.push('p99');
  if (errorRatio > slo.maxErrorRatio) breaches.push('errors');
  if (m.droppedIterations > slo.maxDroppedIterations) breaches.push('dropped');
  if (lossRatio > slo.maxSpanLossRatio) breaches.push('spans-lost');
  return {
    rate: m.rate,
    ok: breaches.length === 0,
    breaches,
    p50Ms: quantileSorted(m.sortedLatencyMs, 0.5),
    p99Ms,
    errorRatio,
    droppedIterations: m.droppedIterations,
    lossRatio,
  };
}

export interface Knee<B extends string = SloBreach> {
  /**
   * found: bracketed between a kept and a broken rate; above-max: kept the SLO up to the
   * highest rate tried; below-min: broke it already at the lowest; none: nothing measured.
   */
  readonly status: 'found' | 'above-max' | 'below-min' | 'none';
  /** Highest rate that kept the SLO, below the lowest that broke it. */
  readonly keptRps?: number;
  /** Lowest rate that broke the SLO. */
  readonly brokeRps?: number;
  /** Middle of the bracket (found), else the bound that is known. */
  readonly estimateRps?: number;
  /** Half the bracket: the knee lies within estimate ± this. */
  readonly uncertaintyRps?: number;
  /** What broke at the lowest broken rate. */
  readonly breaches: B[];
  /** A rate above the broken one kept the SLO: noise near the knee; the bracket uses the lowest break. */
  readonly nonMonotone: boolean;
}

export function kneeOf<B extends string = SloBreach>(
  steps: ReadonlyArray<{ readonly rate: number; readonly ok: boolean; readonly breaches: readonly B[] }>,
): Knee<B> {
  if (steps.length === 0) return { status: 'none', breaches: [], nonMonotone: false };
  const broken = steps.filter((s) => !s.ok).sort((a, b) => a.rate - b.rate);
  const kept = steps.filter((s) => s.ok).sort((a, b) => a.rate - b.rate);
  const lowestBreak = broken[0];
  if (!lowestBreak) {
    const top = kept.at(-1)!.rate;
    return { status: 'above-max', keptRps: top, estimateRps: top, breaches: [], nonMonotone: false };
  }
  const below = kept.filter((s) => s.rate < lowestBreak.rate);
  const nonMonotone = kept.some((s) => s.rate > lowestBreak.rate);
  if (below.length === 0)
    return { status: 'below-min', brokeRps: lowestBreak.rate, estimateRps: lowestBreak.rate, breaches: [...lowestBreak.breaches], nonMonotone };
  const keptRps = below.at(-1)!.rate;
  return {
    status: 'found',
    keptRps,
    brokeRps: lowestBreak.rate,
    estimateRps: (keptRps + lowestBreak.rate) / 2,
    uncertaintyRps: (lowestBreak.rate - keptRps) / 2,
    breaches: [...lowestBreak.breaches],
    nonMonotone,
  };
}
