// Given a synthetic run record whose samples have known percentiles and rounds that differ,
// when it is analysed, then the results carry exactly those percentiles, the jackknife
// interval over rounds computed by hand, and the span, lag, error and core accounting.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSpec } from '../../contracts/spec/read.ts';
import { analyze } from '../../infra/analysis/analyze.ts';
import type { BackendCounters, RunRecord, SlotRecord } from '../../infra/load/record.ts';
import { SAMPLES_HEADER } from '../../infra/load/samples.ts';
import { htmlReport } from '../../infra/report/html.ts';
import { markdownReport } from '../../infra/report/markdown.ts';
import { terminalSummary } from '../../infra/report/terminal.ts';
import { minimal } from '../support/specs.ts';

const doc = parseSpec(minimal('  topologies: [{ topology: baseline }, { topology: collector }]\n  load: { rounds: 3 }'));
const runDir = mkdtempSync(join(tmpdir(), 'tracelab-analysis-'));
mkdirSync(join(runDir, 'raw', 'samples'), { recursive: true });

/** Lag histogram with `n` spans in bucket `i` (0.1 ms × 1.05^i). */
const lag = (pairs: Array<[number, number]>, maxMs: number) => ({ minMs: 0.1, factor: 1.05, buckets: pairs, maxMs });
const backend = (spans: number, lagPairs: Array<[number, number]>, maxMs = 100): BackendCounters => ({
  spans,
  traces: spans / 6,
  rootSpans: spans / 6,
  generations: spans / 6,
  lag: lag(lagPairs, maxMs),
});

interface SlotSpec {
  topology: 'baseline' | 'collector';
  round: number;
  shift: number;
  failed?: number;
  ended?: number;
  delivered?: number;
  deliveredAtDrain?: number;
  busy?: number;
  foreign?: number;
  k6Summary?: boolean;
}

function slot(s: SlotSpec): SlotRecord {
  const label = `${s.topology}-r${s.round}`;
  const file = `raw/samples/${label}.csv`;
  // 1..1001 ms (+ shift), then `failed` failed requests that must leave the percentiles.
  const ok = Array.from({ length: 1001 }, (_, i) => `${1_700_000_000_000 + i * 20},${i + 1 + s.shift},1,${i}`);
  const bad = Array.from({ length: s.failed ?? 0 }, (_, i) => `${1_700_000_100_000 + i},${5000 + i},0,${2000 + i}`);
  writeFileSync(join(runDir, file), `${SAMPLES_HEADER}\n${[...ok, ...bad].join('\n')}\n`);
  const ended = s.ended ?? 0;
  return {
    label,
    topology: s.topology,
    kind: s.topology,
    round: s.round,
    position: 1,
    startedAt: '2026-01-01T00:00:00Z',
    attempts: 1,
    discarded: [],
    load: {
      samplesFile: file,
      requests: 1001 + (s.failed ?? 0),
      failed: s.failed ?? 0,
      droppedIterations: 0,
      measuredSeconds: 20,
      k6Summary:
        s.k6Summary === false
          ? undefined
          : { count: 1001, p50: 501 + s.shift, p90: 901 + s.shift, p95: 951 + s.shift, p99: 991 + s.shift, p999: 1000 + s.shift, max: 1001 + s.shift },
    },
    app: {
      requests: 1100,
      cpuSeconds: 2.2,
      spansStarted: ended,
      spansEnded: ended,
      spansExported: ended,
      spansExportFailed: 0,
      spansDropped: 0,
      exportCalls: 10,
      exportSeconds: 0.05,
      eventLoopP99Ms: 3,
      eventLoopMaxMs: 9,
      rssBytes: 100 * 2 ** 20,
    },
    backend: backend(s.deliveredAtDrain ?? s.delivered ?? 0, [[10, 50]]),
    backendFinal: backend(
      s.delivered ?? 0,
      s.topology === 'collector'
        ? [
            [50, 99],
            [90, 1],
          ]
        : [],
      300,
    ),
    interference: {
      seconds: 25,
      cores: { cpu0: { busy: s.busy ?? 0.4, lab: 0.3, foreign: s.foreign ?? 0.02, steal: 0 }, cpu1: { busy: 0.3, lab: 0.3, foreign: 0, steal: 0 } },
      maxForeign: s.foreign ?? 0.02,
    },
  };
}

const record: RunRecord = {
  runId: 'synthetic',
  startedAt: '2026-01-01T00:00:00Z',
  finishedAt: '2026-01-01T00:05:00Z',
  target: 'local',
  backend: 'ingest-sink',
  quick: false,
  doc,
  machine: { cpus: 2, cpuModel: 'test', memoryGiB: 4, os: 'linux', node: 'v24' },
  pinning: {},
  tools: {},
  seed: 'synthetic',
  orders: [
    ['baseline', 'collector'],
    ['collector', 'baseline'],
    ['baseline', 'collector'],
  ],
  slots: [
    slot({ topology: 'baseline', round: 1, shift: 0 }),
    slot({ topology: 'collector', round: 1, shift: 8, ended: 6600, delivered: 6600, deliveredAtDrain: 6500, busy: 0.95 }),
    slot({ topology: 'baseline', round: 2, shift: 0 }),
    slot({ topology: 'collector', round: 2, shift: 10, ended: 6600, delivered: 6594, failed: 11, foreign: 0.3 }),
    slot({ topology: 'baseline', round: 3, shift: 0 }),
    slot({ topology: 'collector', round: 3, shift: 12, ended: 6600, delivered: 6600 }),
  ],
};

describe('analyze', () => {
  const results = analyze(record, runDir);
  const [baseline, collector] = results.topologies;

  it('pools the successful samples of every round into known percentiles', () => {
    expect(baseline.latencyMs).toMatchObject({ p50: 501, p99: 991, count: 3003, over1s: 3 });
    expect(collector.latencyMs.over1s).toBe(9 + 11 + 13); // 1..1001 shifted by 8, 10, 12: the values above 1000
    // Shifts 8, 10, 12 are symmetric around 10: the pooled median is 511 exactly.
    expect(collector.latencyMs.p50).toBe(511);
    expect(collector.rounds.map((r) => r.p50)).toEqual([509, 511, 513]);
  });

  it('leaves failed requests out of the latency and counts them as errors', () => {
    expect(collector.latencyMs.count).toBe(3003);
    expect(collector.latencyMs.max).toBe(1013);
    expect(collector.failed).toBe(11);
    expect(collector.errorRate).toBeCloseTo(11 / 3014, 12);
  });

  it('gives the jackknife interval over rounds worked out by hand', () => {
    // Leave-one-round-out medians differ by 11, 10, 9; jackknife se = √(2/3 · 2) = 1.1547;
    // t(0.975, 2 df) = 4.3027 → 10 ± 4.968.
    const o = collector.overhead!.p50;
    expect(o.ms).toBe(10);
    expect(o.ciLowMs).toBeCloseTo(10 - 4.3027 * Math.sqrt(4 / 3), 3);
    expect(o.ciHighMs).toBeCloseTo(10 + 4.3027 * Math.sqrt(4 / 3), 3);
    expect(o.resolution).toBe('higher');
    expect(collector.overhead!.p99.ms).toBeCloseTo(10, 9);
    expect(collector.overhead!.p99.ciLowMs).toBeLessThan(10);
    expect(collector.overhead!.p99.ciHighMs).toBeGreaterThan(10);
    // 3003 samples are fewer than the 10,000 p99.9 needs: no interval, and the report says so.
    expect(collector.overhead!.p999.resolution).toBe('no-interval');
    expect(results.caveats).toContainEqual({ kind: 'no-interval', topologies: ['collector'], percentile: 'p999', needed: 10_000 });
    expect(baseline.overhead).toBeUndefined();
  });

  it('counts spans delivered at the end of the run, late arrivals included, and keeps a negative loss visible', () => {
    expect(collector.spans).toMatchObject({ ended: 19_800, delivered: 19_794, lost: 6, perRequest: 6 });
    const overcounted = analyze(
      { ...record, slots: record.slots.map((s) => (s.kind === 'collector' ? { ...s, backendFinal: backend(6610, []) } : s)) },
      runDir,
    );
    expect(overcounted.topologies[1].spans.lost).toBe(-30);
    expect(overcounted.caveats).toContainEqual({ kind: 'counting-error', topologies: ['collector'] });
  });

  it('takes export-lag percentiles over the pooled histograms, not the max of per-slot figures', () => {
    // 297 spans in bucket 50, 3 in bucket 90: p50 and p99 are bucket 50's bound.
    expect(collector.exportLagMs.count).toBe(300);
    expect(collector.exportLagMs.p50).toBeCloseTo(0.1 * 1.05 ** 50, 9);
    expect(collector.exportLagMs.p99).toBeCloseTo(0.1 * 1.05 ** 50, 9);
    expect(collector.exportLagMs.max).toBe(300);
  });

  it('reports core load and the slots other programs disturbed', () => {
    expect(collector.cores.cpu0.busy).toBeCloseTo((0.95 + 0.4 + 0.4) / 3, 12);
    expect(collector.cores.cpu0.foreignMax).toBe(0.3);
    expect(collector.cores.cpu0.busyMax).toBe(0.95);
    expect(collector.flaggedSlots).toBe(1);
    expect(results.caveats).toContainEqual({ kind: 'foreign-load', slots: ['collector-r2'], maxForeign: 0.3 });
    expect(results.caveats).toContainEqual({ kind: 'core-saturated', topologies: ['collector'] });
  });

  it("cross-checks against k6's own summary, and cannot pass when a summary is missing", () => {
    expect(collector.k6CrossCheckMs).toBeLessThan(1e-9);
    const missing = analyze(
      { ...record, slots: record.slots.map((s) => (s.label === 'collector-r3' ? { ...s, load: { ...s.load, k6Summary: undefined } } : s)) },
      runDir,
    );
    expect(missing.topologies[1].k6CrossCheckMs).toBeNaN();
    expect(missing.caveats).toContainEqual({ kind: 'k6-summary-missing', slots: ['collector-r3'] });
  });

  it('derives app cost and throughput, and records the order of every round', () => {
    expect(collector.app.cpuMsPerRequest).toBeCloseTo(2, 9); // 6.6 s over 3300 requests
    expect(collector.throughputRps).toBeCloseTo(3003 / 60, 9);
    expect(results.orders).toEqual(record.orders);
    expect(results.load.roundsRun).toBe(3);
  });

  it('words the verdict and the caveats in every format, and says a test double was the backend', () => {
    expect(terminalSummary(results)).toMatch(/ingest-sink, a Langfuse stand-in/);
    expect(terminalSummary(results)).toMatch(/collector: p99 is 10\.0 ms above baseline/);
    const md = markdownReport(results);
    expect(md).toMatch(/ingest-sink — a Langfuse stand-in \(test double\)/);
    expect(md).toMatch(/Other programs used up to 30% of a core/);
    expect(md).toMatch(/rounds as the unit/);
    const html = htmlReport(results);
    expect(html).toMatch(/<svg[^>]+latency by percentile/);
    expect(html).toMatch(/<svg[^>]+overhead vs baseline/);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/); // self-contained
  });
});
