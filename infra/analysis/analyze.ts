// Raw record + samples → Results. Reads only what the load stage wrote.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSamples } from '../load/k6-run.ts';
import type { RunRecord, SlotRecord } from '../load/record.ts';
import { TOPOLOGY_EXPORT } from '../../contracts/spec/topology.ts';
import { baselineFor } from './baseline.ts';
import { bootstrapDifference, quantileSorted, replicatesFor, seededRandom, sortedCopy } from './percentiles.ts';
import { OVERHEAD_QUANTILES, QUANTILES, type Overhead, type QuantileName, type Results, type TopologyResult } from './results.ts';

/** Points of the percentile plot: 0 … 99.99 on a "nines" scale. */
const CURVE_QUANTILES = [0, 0.1, 0.25, 0.5, 0.75, 0.8, 0.9, 0.95, 0.97, 0.98, 0.99, 0.995, 0.999, 0.9995, 0.9999];

export function readRecord(runDir: string): RunRecord {
  return JSON.parse(readFileSync(join(runDir, 'raw', 'record.json'), 'utf8')) as RunRecord;
}

interface TopologySamples {
  readonly slots: SlotRecord[];
  /** One array per round (the strata of the bootstrap). */
  readonly rounds: Float64Array[];
  readonly pooled: Float64Array;
}

export function analyze(record: RunRecord, runDir: string): Results {
  const { spec } = record.doc;
  const samples = new Map<string, TopologySamples>();
  for (const topology of spec.topologies) {
    const slots = record.slots.filter((s) => s.topology === topology.name).sort((a, b) => a.round - b.round);
    const rounds = slots.map((s) => sortedCopy(readSamples(join(runDir, s.load.samplesFile)).latencyMs));
    const pooled = sortedCopy(rounds.flatMap((r) => Array.from(r)));
    samples.set(topology.name, { slots, rounds, pooled });
  }
  const baseline = spec.topologies.find((t) => t.topology === 'baseline');
  if (!baseline) throw new Error('the run has no baseline topology; overhead cannot be computed');
  const random = seededRandom(record.runId);

  const topologies = spec.topologies.map((topology): TopologyResult => {
    const s = samples.get(topology.name)!;
    const latency = Object.fromEntries(Object.entries(QUANTILES).map(([k, q]) => [k, quantileSorted(s.pooled, q)])) as Record<QuantileName, number>;
    const totals = totalsOf(s.slots);
    let overhead: Record<string, Overhead> | undefined;
    // Each topology against the baseline of its own runtime (python: and event loop).
    const own = baselineFor(spec.topologies, topology);
    const base = samples.get(own.name)!;
    if (topology.topology !== 'baseline' && s.pooled.length > 0 && base.pooled.length > 0) {
      const qs = OVERHEAD_QUANTILES.map((k) => QUANTILES[k]);
      const intervals = bootstrapDifference(s.rounds, base.rounds, qs, random, replicatesFor(s.pooled.length + base.pooled.length));
      overhead = Object.fromEntries(
        OVERHEAD_QUANTILES.map((k, i) => {
          const b = quantileSorted(base.pooled, QUANTILES[k]);
          const ms = latency[k] - b;
          return [k, { ms, ciLowMs: intervals[i].low, ciHighMs: intervals[i].high, relative: b > 0 ? ms / b : 0 }];
        }),
      );
    }
    return {
      name: topology.name,
      kind: topology.topology,
      baseline: own.name,
      servedBy: record.apps?.[topology.name],
      description: TOPOLOGY_EXPORT[topology.topology].description,
      requests: totals.requests,
      failed: totals.failed,
      droppedIterations: totals.dropped,
      throughputRps: totals.measuredSeconds > 0 ? totals.requests / totals.measuredSeconds : 0,
      latencyMs: { ...latency, mean: mean(s.pooled), max: s.pooled.length ? s.pooled[s.pooled.length - 1] : NaN, count: s.pooled.length },
      rounds: s.slots.map((slot, i) => ({
        round: slot.round,
        p50: quantileSorted(s.rounds[i], 0.5),
        p99: quantileSorted(s.rounds[i], 0.99),
        requests: s.rounds[i].length,
      })),
      overhead,
      curve: CURVE_QUANTILES.map((q) => [q, quantileSorted(s.pooled, q)]),
      app: {
        cpuMsPerRequest: totals.appRequests > 0 ? (totals.cpuSeconds * 1000) / totals.appRequests : 0,
        eventLoopP99Ms: Math.max(0, ...s.slots.map((x) => x.app.eventLoopP99Ms)),
        eventLoopMaxMs: Math.max(0, ...s.slots.map((x) => x.app.eventLoopMaxMs)),
        exportCalls: totals.exportCalls,
        exportMsPerCall: totals.exportCalls > 0 ? (totals.exportSeconds * 1000) / totals.exportCalls : 0,
        rssMiB: Math.max(0, ...s.slots.map((x) => x.app.rssBytes)) / 2 ** 20,
        ...pythonApp(s.slots, totals.appRequests),
      },
      spans: {
        ended: totals.ended,
        delivered: totals.delivered,
        lost: Math.max(0, totals.ended - totals.delivered),
        lossRatio: totals.ended > 0 ? Math.max(0, totals.ended - totals.delivered) / totals.ended : 0,
        droppedInQueue: totals.droppedInQueue,
        exportFailed: totals.exportFailed,
        perRequest: totals.appRequests > 0 ? totals.ended / totals.appRequests : 0,
      },
      exportLagMs: {
        p50: median(s.slots.map((x) => x.backend.lagP50Ms)),
        p99: Math.max(0, ...s.slots.map((x) => x.backend.lagP99Ms)),
        max: Math.max(0, ...s.slots.map((x) => x.backend.lagMaxMs)),
      },
      collector: s.slots.some((x) => x.collector) ? collectorTotals(s.slots) : undefined,
      cpuBusy: meanBusy(s.slots),
      k6CrossCheckMs: crossCheck(s),
    };
  });

  return {
    runId: record.runId,
    startedAt: record.startedAt,
    finishedAt: record.finishedAt,
    target: record.target,
    backend: record.backend,
    quick: record.quick,
    specName: record.doc.metadata.name,
    load: {
      scenario: spec.load.scenario,
      rate: spec.load.rate,
      duration: spec.load.duration,
      warmup: spec.load.warmup,
      rounds: spec.load.rounds,
      vus: spec.load.vus,
      thinkTime: spec.load.thinkTime,
    },
    workload: { ...spec.app.workload },
    machine: record.machine,
    pinning: record.pinning,
    tools: Object.fromEntries(Object.entries(record.tools).map(([k, v]) => [k, { version: v.version, source: v.source }])),
    baseline: baseline.name,
    topologies,
    caveats: caveats(record, topologies),
  };
}

function totalsOf(slots: SlotRecord[]) {
  const sum = (f: (s: SlotRecord) => number) => slots.reduce((n, s) => n + f(s), 0);
  return {
    requests: sum((s) => s.load.requests),
    failed: sum((s) => s.load.failed),
    dropped: sum((s) => s.load.droppedIterations),
    measuredSeconds: sum((s) => s.load.measuredSeconds),
    appRequests: sum((s) => s.app.requests),
    cpuSeconds: sum((s) => s.app.cpuSeconds),
    exportCalls: sum((s) => s.app.exportCalls),
    exportSeconds: sum((s) => s.app.exportSeconds),
    ended: sum((s) => s.app.spansEnded),
    delivered: sum((s) => s.backend.spans),
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

function collectorTotals(slots: SlotRecord[]) {
  const c = slots.map((s) => s.collector!).filter(Boolean);
  const sum = (f: (x: (typeof c)[number]) => number) => c.reduce((n, x) => n + f(x), 0);
  return {
    accepted: sum((x) => x.acceptedSpans),
    sent: sum((x) => x.sentSpans),
    sendFailed: sum((x) => x.sendFailedSpans),
    enqueueFailed: sum((x) => x.enqueueFailedSpans),
    queueSizeAtEnd: c.at(-1)?.queueSize ?? 0,
  };
}

function meanBusy(slots: SlotRecord[]): Record<string, number> {
  const cpus = [...new Set(slots.flatMap((s) => Object.keys(s.cpuBusy ?? {})))].sort();
  return Object.fromEntries(
    cpus.map((cpu) => {
      const shares = slots.map((s) => s.cpuBusy?.[cpu]).filter((v): v is number => v !== undefined);
      return [cpu, shares.reduce((a, b) => a + b, 0) / shares.length];
    }),
  );
}

function crossCheck(s: TopologySamples): number {
  let worst = 0;
  s.slots.forEach((slot, i) => {
    const k6 = slot.load.k6Summary;
    if (!k6 || s.rounds[i].length === 0) return;
    for (const k of ['p50', 'p95', 'p99', 'p999'] as const) worst = Math.max(worst, Math.abs(quantileSorted(s.rounds[i], QUANTILES[k]) - k6[k]));
  });
  return worst;
}

function caveats(record: RunRecord, topologies: TopologyResult[]): string[] {
  const out: string[] = [];
  if (record.backend === 'ingest-sink')
    out.push(
      "Backend: ingest-sink, a test double that speaks Langfuse's OTLP ingestion contract. Real Langfuse (web → S3 → Redis → worker → ClickHouse) is not in the loop; export lag and backend-side effects will differ.",
    );
  if (record.target === 'local')
    out.push(
      'Local lab: every process on one machine over loopback. "collector", "sidecar" and "agent" differ only in which collector process an app sends to; cluster networking (Service routing, node-local hostPort) does not exist here.',
    );
  if (record.machine.cpus <= 2)
    out.push(
      `${record.machine.cpus} CPUs: k6, the collectors and the sink share one core while the app under test has the other; their contention is part of these numbers (see "busy" in the app table).`,
    );
  const saturated = topologies.filter((t) => Object.values(t.cpuBusy).some((share) => share > 0.9));
  if (saturated.length)
    out.push(`A core was more than 90% busy during ${saturated.map((t) => t.name).join(', ')}: the machine, not only tracing, shaped those latencies.`);
  if (record.quick) out.push('Quick run: short phases and two rounds. Treat p99.9 and the confidence intervals as rough.');
  const few = topologies.filter((t) => t.latencyMs.count < 1000);
  if (few.length) out.push(`Fewer than 1000 measured requests for ${few.map((t) => t.name).join(', ')}: p99.9 rests on a handful of samples.`);
  const dropped = topologies.filter((t) => t.droppedIterations > 0);
  if (dropped.length)
    out.push(
      `k6 dropped iterations for ${dropped.map((t) => t.name).join(', ')}: the load generator could not keep the arrival rate, so those tails are understated.`,
    );
  return out;
}

const mean = (a: Float64Array) => (a.length ? a.reduce((x, y) => x + y, 0) / a.length : NaN);
const median = (values: number[]) =>
  quantileSorted(
    [...values].sort((a, b) => a - b),
    0.5,
  ) || 0;
