// The collector gateway's own ceiling: the spec's gateway (its batch, queue and memory limiter,
// the limiter set from its container's memory limit) alone on the measured core, driven with
// OTLP batches at rising rates until it refuses, queues, loses spans or answers too slowly —
// then bisected like a topology's knee. k6 and the sink run on the support core; a step where
// they were the limit ends the search, reported as "harness-limited".
import { durationMs } from '../../contracts/duration.ts';
import { latencyMs } from '../../contracts/spec/fields.ts';
import type { LoadSpec, TraceLab } from '../../contracts/spec/schema.ts';
import { judgeGatewayStep, type GatewayVerdict } from '../analysis/gateway.ts';
import { sortedCopy } from '../analysis/percentiles.ts';
import type { GatewayCeilingRecord, GatewayStepRecord } from '../load/capacity-record.ts';
import { readSamples } from '../load/samples.ts';
import { expandCpuList } from '../local/interference.ts';
import type { Progress } from '../tools/resolve.ts';
import { GatewayRig, memoryMiB } from './gateway-rig.ts';
import { nextRate } from './knee-search.ts';
import { join } from 'node:path';

export interface GatewayCeilingOptions {
  readonly doc: TraceLab;
  readonly runId: string;
  readonly runDir: string;
  readonly k6: string;
  readonly otelcol: string;
  readonly pins: { readonly app?: string; readonly support?: string };
  readonly progress: Progress;
  readonly signal: AbortSignal;
}

const cores = (list: string | undefined) => (list ? expandCpuList(list).map((c) => `cpu${c}`) : []);

export async function runGatewayCeiling(o: GatewayCeilingOptions): Promise<GatewayCeilingRecord> {
  const { capacity, collector, app } = o.doc.spec;
  const g = capacity.gateway;
  const record = {
    collectorCores: cores(o.pins.app),
    supportCores: cores(o.pins.support),
    memoryLimitMiB: memoryMiB(collector.gateway.resources.limits.memory),
    steps: [] as GatewayStepRecord[],
  };
  o.progress(
    `Gateway ceiling: the spec's collector alone on ${record.collectorCores.join(',') || 'any core'}, OTLP batches of ${g.spansPerBatch} spans from k6 at rising rates (memory limiter at ${collector.memoryLimiter.limitPercentage}% of ${Math.round(record.memoryLimitMiB)} MiB)`,
  );
  const rig = await GatewayRig.start({
    runId: o.runId,
    runDir: o.runDir,
    k6: o.k6,
    otelcol: o.otelcol,
    collector,
    collectorCpus: o.pins.app,
    supportCpus: o.pins.support,
    signal: o.signal,
  });
  const verdicts: GatewayVerdict[] = [];
  try {
    const search = { startRate: g.startRate, maxRate: g.maxRate, growth: capacity.growth, resolution: capacity.resolution, maxSteps: capacity.maxSteps };
    for (let step = 1; !o.signal.aborted; step++) {
      const rate = nextRate(verdicts, search);
      if (rate === undefined) break;
      const s = await rig.step({
        label: `gateway-s${step}`,
        rate,
        spansPerBatch: g.spansPerBatch,
        payloadBytes: app.workload.payloadBytes,
        load: otlpLoad(o.doc, rate),
      });
      record.steps.push(s);
      const sorted = sortedCopy(readSamples(join(o.runDir, s.load.samplesFile)).okLatencyMs);
      const v = judgeGatewayStep(s, sorted, {
        p99Ms: latencyMs(o.doc.spec.load.slo.p99),
        collectorCores: record.collectorCores,
        supportCores: record.supportCores,
      });
      verdicts.push(v);
      o.progress(
        `  gateway step ${step}: ${rate} batches/s = ${Math.round(v.spansPerSecond)} spans/s → ${v.ok ? 'kept' : `broke (${v.breaches.join(', ')})`}; p99 ${v.p99Ms.toFixed(1)} ms, collector ${Math.round(v.collectorCoreBusy * 100)}% of its core, ${v.collectorCpuMsPer1kSpans.toFixed(1)} ms CPU per 1k spans, RSS ${Math.round(s.collectorRssMiB)} MiB; support core ${Math.round(v.supportCoreBusy * 100)}%`,
      );
      // Past the harness's own limit a higher rate measures k6 and the sink, not the gateway;
      // below the first rate kept, the search still steps down to find one.
      if (v.breaches.includes('generator') && verdicts.some((x) => x.ok)) break;
    }
  } catch (error) {
    if (!o.signal.aborted) throw error;
  } finally {
    await rig.stop();
  }
  return { ...record, ...(o.signal.aborted ? { interrupted: true } : {}) };
}

/** One OTLP step: the capacity step's durations, enough k6 users for slow answers. */
function otlpLoad(doc: TraceLab, rate: number): LoadSpec {
  const { capacity, load } = doc.spec;
  // A batch is answered in milliseconds while the gateway keeps up; room for 200 ms answers.
  const preAllocatedVUs = Math.min(300, Math.max(5, Math.ceil(rate * 0.2)));
  return {
    ...load,
    scenario: 'steady',
    rate,
    duration: capacity.stepDuration,
    warmup: capacity.stepWarmup,
    precision: undefined,
    preAllocatedVUs,
    maxVUs: Math.max(preAllocatedVUs * 2, 50),
  };
}

/** Seconds one gateway step takes, for estimates. */
export const gatewayStepSeconds = (doc: TraceLab) => (durationMs(doc.spec.capacity.stepDuration) + durationMs(doc.spec.capacity.stepWarmup)) / 1000 + 4;
