// The collector gateway's own ceiling, judged step by step: a rate the gateway keeps is one
// where it refuses nothing (429/503 answers, the memory limiter's refusals), its sending
// queue does not build up, every span it accepted reaches the backend, and its answers stay
// within the SLO's p99. A step where k6 dropped iterations or the support core was saturated
// measured the harness, not the gateway: the search stops there and says so.
import type { GatewayStepRecord } from '../load/capacity-record.ts';
import { kneeOf, type Knee } from './knee.ts';
import { quantileSorted } from './percentiles.ts';

export type GatewayBreach = 'refused' | 'queueing' | 'not-delivered' | 'slow' | 'generator';

export interface GatewayVerdict {
  readonly rate: number;
  readonly spansPerSecond: number;
  readonly ok: boolean;
  readonly breaches: GatewayBreach[];
  readonly p99Ms: number;
  readonly collectorCpuMsPer1kSpans: number;
  /** Busy share of the collector's core(s) and of the support core(s), the largest of each. */
  readonly collectorCoreBusy: number;
  readonly supportCoreBusy: number;
}

/** Above this share of busy time the support core, not the gateway, may be what limits a step. */
export const SATURATED = 0.9;

export function judgeGatewayStep(
  s: GatewayStepRecord,
  sortedLatencyMs: Float64Array,
  o: { p99Ms: number; collectorCores: readonly string[]; supportCores: readonly string[] },
): GatewayVerdict {
  const busiest = (cores: readonly string[]) => Math.max(0, ...cores.map((c) => s.coreBusy[c] ?? 0));
  const p99Ms = quantileSorted(sortedLatencyMs, 0.99);
  const breaches: GatewayBreach[] = [];
  if (s.load.failed > 0 || s.refusedSpans > 0) breaches.push('refused');
  if (s.enqueueFailedSpans > 0 || s.queueSizeAtEnd > Math.max(1, 0.1 * s.queueCapacity)) breaches.push('queueing');
  if (s.deliveredSpans < s.acceptedSpans || s.sendFailedSpans > 0) breaches.push('not-delivered');
  if (!(p99Ms <= o.p99Ms)) breaches.push('slow');
  if (s.load.droppedIterations > 0 || busiest(o.supportCores) > SATURATED) breaches.push('generator');
  return {
    rate: s.rate,
    spansPerSecond: s.rate * s.spansPerBatch,
    ok: breaches.length === 0,
    breaches,
    p99Ms,
    collectorCpuMsPer1kSpans: s.acceptedSpans > 0 ? (s.collectorCpuSeconds * 1e6) / s.acceptedSpans : 0,
    collectorCoreBusy: busiest(o.collectorCores),
    supportCoreBusy: busiest(o.supportCores),
  };
}

export interface GatewayCeiling {
  readonly knee: Knee<GatewayBreach>;
  /** The knee in spans/s (rate × spans per batch). */
  readonly keptSpansPerSecond?: number;
  readonly brokeSpansPerSecond?: number;
  /** The harness broke first: the gateway kept up with everything it could be sent. */
  readonly harnessLimited: boolean;
  /** CPU per 1000 spans over the steps it kept. */
  readonly collectorCpuMsPer1kSpans?: number;
}

export function gatewayCeiling(verdicts: readonly GatewayVerdict[], spansPerBatch: number, steps: readonly GatewayStepRecord[]): GatewayCeiling {
  const knee = kneeOf(verdicts);
  const kept = steps.filter((_, i) => verdicts[i].ok);
  const spans = kept.reduce((n, s) => n + s.acceptedSpans, 0);
  const cpu = kept.reduce((n, s) => n + s.collectorCpuSeconds, 0);
  return {
    knee,
    ...(knee.keptRps !== undefined ? { keptSpansPerSecond: knee.keptRps * spansPerBatch } : {}),
    ...(knee.brokeRps !== undefined ? { brokeSpansPerSecond: knee.brokeRps * spansPerBatch } : {}),
    harnessLimited: knee.breaches.includes('generator'),
    ...(spans > 0 ? { collectorCpuMsPer1kSpans: (cpu * 1e6) / spans } : {}),
  };
}
