// Raw record + samples + app timelines → Results (data only; the report words it). Reads
// only what the load and target stages wrote.
import { lagQuantile, mergeLagHistograms } from '../../contracts/sink-stats.ts';
import { TOPOLOGY_EXPORT } from '../../contracts/spec/topology.ts';
import { durationMs } from '../../contracts/duration.ts';
import type { RunRecord, SlotRecord } from '../load/record.ts';
import { attributeTopology, exportOnLoop, readTimeline, typicalTimeline } from './attribution.ts';
import { baselineOf } from './baseline.ts';
import { caveatsOf } from './caveats.ts';
import { faultResultOf } from './faults.ts';
import { DEFAULT_INTERVAL_METHOD, type DifferenceInterval, differenceInterval } from './intervals.ts';
import { quantileSorted } from './percentiles.ts';
import { precisionOf } from './precision.ts';
import {
  OVERHEAD_QUANTILES,
  type Overhead,
  type PairComparison,
  QUANTILES,
  type QuantileName,
  type Resolution,
  type Results,
  type TopologyResult,
} from './results.ts';
import { baselineName, type TopologySamples, topologySamples } from './samples.ts';

export { readRecord } from './samples.ts';

/** Points of the percentile plot: 0 … 99.99 on a "nines" scale. */
const CURVE_QUANTILES = [0, 0.1, 0.25, 0.5, 0.75, 0.8, 0.9, 0.95, 0.97, 0.98, 0.99, 0.995, 0.999, 0.9995, 0.9999];
const CONFIDENCE = 0.95;

export function resolutionOf(interval: DifferenceInterval | undefined): Resolution {
  if (!interval) return 'no-interval';
  if (interval.low > 0) return 'higher';
  if (interval.high < 0) return 'lower';
  return 'not-resolved';
}

export function analyze(record: RunRecord, runDir: string): Results {
  const { spec } = record.doc;
  const samples = topologySamples(record, runDir);
  const baseline = baselineName(record);
  // Each topology against the baseline of its own runtime (python: and event loop) — in a
  // sweep, the one of its values; a slow request is one above that baseline's p99.
  const ownBaseline = (topology: (typeof spec.topologies)[number]) => baselineOf(record, topology);
  const thresholdOf = (name: string) => quantileSorted(samples.get(name)!.pooled, 0.99);

  const topologies = spec.topologies.map((topology): TopologyResult => {
    const s = samples.get(topology.name)!;
    const own = ownBaseline(topology);
    const base = samples.get(own)!;
    const latency = Object.fromEntries(Object.entries(QUANTILES).map(([k, q]) => [k, quantileSorted(s.pooled, q)])) as Record<QuantileName, number>;
    const timelines = s.slots.map((slot) => readTimeline(runDir, slot));
    const isBaseline = topology.topology === 'baseline';
    const totals = totalsOf(s.slots);
    const onLoop = exportOnLoop(timelines);
    const lag = mergeLagHistograms(s.slots.map((x) => (x.backendFinal ?? x.backend).lag));
    const delivered = totals.delivered;
    return {
      name: topology.name,
      kind: topology.topology,
      servedBy: record.apps?.[topology.name],
      description: TOPOLOGY_EXPORT[topology.topology].description,
      baseline: own,
      requests: s.requests,
      failed: s.failed,
      errorRate: s.requests > 0 ? s.failed / s.requests : 0,
      droppedIterations: totals.dropped,
      throughputRps: totals.measuredSeconds > 0 ? (s.requests - s.failed) / totals.measuredSeconds : 0,
      latencyMs: {
        ...latency,
        mean: mean(s.pooled),
        max: s.pooled.length ? s.pooled[s.pooled.length - 1] : Number.NaN,
        count: s.pooled.length,
        over1s: s.pooled.length - upperBound(s.pooled, 1000),
      },
      rounds: s.rounds.map((r) => ({ round: r.round, p50: quantileSorted(r.sorted, 0.5), p99: quantileSorted(r.sorted, 0.99), requests: r.sorted.length })),
      overhead: isBaseline ? undefined : overheadOf(s, base),
      curve: CURVE_QUANTILES.map((q) => [q, quantileSorted(s.pooled, q)]),
      app: {
        cpuMsPerRequest: totals.appRequests > 0 ? (totals.cpuSeconds * 1000) / totals.appRequests : 0,
        eventLoopP99Ms: Math.max(0, ...s.slots.map((x) => x.app.eventLoopP99Ms)),
        eventLoopMaxMs: Math.max(0, ...s.slots.map((x) => x.app.eventLoopMaxMs)),
        exportCalls: totals.exportCalls,
        exportMsPerCall: totals.exportCalls > 0 ? (totals.exportSeconds * 1000) / totals.exportCalls : 0,
        exportOnLoopMsMean: onLoop.meanMs,
        exportOnLoopMsMax: onLoop.maxMs,
        rssMiB: Math.max(0, ...s.slots.map((x) => x.app.rssBytes)) / 2 ** 20,
        ...pythonApp(s.slots, totals.appRequests),
      },
      spans: {
        ended: totals.ended,
        delivered,
        lost: totals.ended - delivered,
        lossRatio: totals.ended > 0 ? (totals.ended - delivered) / totals.ended : 0,
        droppedInQueue: totals.droppedInQueue,
        exportFailed: totals.exportFailed,
        perRequest: totals.appRequests > 0 ? totals.ended / totals.appRequests : 0,
      },
      exportLagMs: {
        p50: lagQuantile(lag, 0.5),
        p99: lagQuantile(lag, 0.99),
        max: Math.max(0, ...s.slots.map((x) => (x.backendFinal ?? x.backend).lag.maxMs)),
        count: lag.buckets.reduce((n, [, c]) => n + c, 0),
      },
      collector: s.slots.some((x) => x.collector) ? collectorTotals(s.slots) : undefined,
      cores: coresOf(s.slots),
      rerunSlots: s.slots.filter((x) => x.attempts > 1).length,
      flaggedSlots: s.slots.filter((x) => (x.interference?.maxForeign ?? 0) > spec.load.interference.maxForeignShare).length,
      k6CrossCheckMs: crossCheck(s),
      attribution: attributeTopology(s, timelines, thresholdOf(own)),
      timeline: typicalTimeline(s, timelines),
      faults: faultResultOf(s.slots, runDir),
    };
  });

  const traced = topologies.filter((t) => t.kind !== 'baseline');
  const pairs: PairComparison[] = [];
  for (let i = 0; i < traced.length; i++) {
    for (let j = i + 1; j < traced.length; j++) {
      const [a, b] = [traced[i], traced[j]];
      // Only topologies measured against the same baseline are ranked against each other.
      if (a.baseline !== b.baseline) continue;
      const interval = differenceInterval(samples.get(a.name)!.rounds, samples.get(b.name)!.rounds, 0.99, { confidence: CONFIDENCE });
      const ms = a.latencyMs.p99 - b.latencyMs.p99;
      pairs.push({ a: a.name, b: b.name, ms, ciLowMs: interval?.low, ciHighMs: interval?.high, resolution: resolutionOf(interval) });
    }
  }

  return {
    runId: record.runId,
    startedAt: record.startedAt,
    finishedAt: record.finishedAt,
    target: record.target,
    backend: record.backend,
    backendInfo: record.backendInfo,
    drainMaxMs: Math.max(0, ...record.slots.map((s) => s.backend.drainMs ?? 0)),
    sinkMode: record.sinkMode,
    faults: spec.faults ?? [],
    quick: record.quick,
    specName: record.doc.metadata.name,
    load: {
      scenario: spec.load.scenario,
      rate: spec.load.rate,
      duration: spec.load.duration,
      warmup: spec.load.warmup,
      rounds: spec.load.rounds,
      roundsRun: Math.max(0, ...record.slots.map((x) => x.round)),
      vus: spec.load.vus,
      thinkTime: spec.load.thinkTime,
    },
    workload: { ...spec.app.workload },
    machine: record.machine,
    pinning: record.pinning,
    tools: Object.fromEntries(Object.entries(record.tools).map(([k, v]) => [k, { version: v.version, source: v.source }])),
    interval: { method: DEFAULT_INTERVAL_METHOD, confidence: CONFIDENCE },
    orders: record.orders,
    interrupted: record.interrupted ? { signal: record.interrupted.signal, round: record.interrupted.duringRound } : undefined,
    baseline,
    topologies,
    pairs,
    precision: precisionOf(record, topologies, durationMs(spec.load.warmup) + durationMs(spec.load.duration)),
    caveats: caveatsOf(record, topologies),
  };
}

function overheadOf(s: TopologySamples, base: TopologySamples): Record<QuantileName, Overhead> {
  return Object.fromEntries(
    (Object.keys(QUANTILES) as QuantileName[]).map((k) => {
      const b = quantileSorted(base.pooled, QUANTILES[k]);
      const ms = quantileSorted(s.pooled, QUANTILES[k]) - b;
      const interval = OVERHEAD_QUANTILES.includes(k) ? differenceInterval(s.rounds, base.rounds, QUANTILES[k], { confidence: CONFIDENCE }) : undefined;
      const overhead: Overhead = {
        ms,
        ciLowMs: interval?.low,
        ciHighMs: interval?.high,
        halfWidthMs: interval?.halfWidth,
        resolution: resolutionOf(interval),
        relative: b > 0 ? ms / b : 0,
      };
      return [k, overhead];
    }),
  ) as Record<QuantileName, Overhead>;
}

function totalsOf(slots: readonly SlotRecord[]) {
  const sum = (f: (s: SlotRecord) => number) => slots.reduce((n, s) => n + f(s), 0);
  return {
    dropped: sum((s) => s.load.droppedIterations),
    measuredSeconds: sum((s) => s.load.measuredSeconds),
    appRequests: sum((s) => s.app.requests),
    cpuSeconds: sum((s) => s.app.cpuSeconds),
    exportCalls: sum((s) => s.app.exportCalls),
    exportSeconds: sum((s) => s.app.exportSeconds),
    ended: sum((s) => s.app.spansEnded),
    delivered: sum((s) => (s.backendFinal ?? s.backend).spans),
    droppedInQueue: sum((s) => s.app.spansDropped),
    exportFailed: sum((s) => s.app.spansExportFailed),
  };
}

/** Python only: the export thread's CPU per request and the mean GIL contention over slots. */
function pythonApp(slots: SlotRecord[], requests: number): { exportThreadCpuMsPerRequest?: number; gilContention?: number } {
  const cpu = slots.map((s) => s.app.exportThreadCpuSeconds).filter((v) => v !== undefined);
  const gil = slots.map((s) => s.app.gilContention).filter((v) => v !== undefined);
  return {
    ...(cpu.length && requests > 0 ? { exportThreadCpuMsPerRequest: (cpu.reduce((a, b) => a + b, 0) * 1000) / requests } : {}),
    ...(gil.length ? { gilContention: gil.reduce((a, b) => a + b, 0) / gil.length } : {}),
  };
}

function collectorTotals(slots: readonly SlotRecord[]) {
  const c = slots.map((s) => s.collector).filter((x): x is NonNullable<typeof x> => Boolean(x));
  const sum = (f: (x: (typeof c)[number]) => number) => c.reduce((n, x) => n + f(x), 0);
  return {
    accepted: sum((x) => x.acceptedSpans),
    sent: sum((x) => x.sentSpans),
    sendFailed: sum((x) => x.sendFailedSpans),
    enqueueFailed: sum((x) => x.enqueueFailedSpans),
    queueSizeAtEnd: c.at(-1)?.queueSize ?? 0,
  };
}

function coresOf(slots: readonly SlotRecord[]): TopologyResult['cores'] {
  const cpus = [...new Set(slots.flatMap((s) => Object.keys(s.interference?.cores ?? {})))].sort();
  return Object.fromEntries(
    cpus.map((cpu) => {
      const readings = slots.map((s) => s.interference?.cores[cpu]).filter((v): v is NonNullable<typeof v> => v !== undefined);
      return [
        cpu,
        {
          busy: readings.reduce((a, r) => a + r.busy, 0) / readings.length,
          busyMax: Math.max(0, ...readings.map((r) => r.busy)),
          foreignMax: Math.max(0, ...readings.map((r) => r.foreign)),
        },
      ];
    }),
  );
}

/** Largest difference from k6's own summary; NaN when any slot lacks one (the check could not run). */
function crossCheck(s: TopologySamples): number {
  let worst = 0;
  for (const [i, slot] of s.slots.entries()) {
    const k6 = slot.load.k6Summary;
    if (!k6) return Number.NaN;
    if (s.rounds[i].sorted.length === 0) continue;
    for (const k of ['p50', 'p95', 'p99', 'p999'] as const) worst = Math.max(worst, Math.abs(quantileSorted(s.rounds[i].sorted, QUANTILES[k]) - k6[k]));
  }
  return worst;
}

/** Index of the first value above `v` in sorted values. */
function upperBound(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const mean = (a: Float64Array) => (a.length ? a.reduce((x, y) => x + y, 0) / a.length : Number.NaN);
