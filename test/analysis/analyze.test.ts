// Given a synthetic run record whose samples have known percentiles, when it is analysed,
// then the results carry exactly those percentiles, overheads and span accounting.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../infra/analysis/analyze.ts';
import type { RunRecord, SlotRecord } from '../../infra/load/record.ts';
import { markdownReport } from '../../infra/report/markdown.ts';
import { htmlReport } from '../../infra/report/html.ts';
import { terminalSummary } from '../../infra/report/terminal.ts';
import { parseSpec } from '../../contracts/spec/read.ts';
import { minimal } from '../support/specs.ts';

const doc = parseSpec(minimal('  topologies: [{ topology: baseline }, { topology: collector }]\n  load: { rounds: 2 }'));
const runDir = mkdtempSync(join(tmpdir(), 'tracelab-analysis-'));
mkdirSync(join(runDir, 'raw', 'samples'), { recursive: true });

function slot(topology: 'baseline' | 'collector', round: number, shift: number, spans: { ended: number; delivered: number }): SlotRecord {
  const file = `raw/samples/${topology}-r${round}.csv`;
  // 1..1001 ms (+ shift): p50 = 501, p99 = 991, p99.9 = 1000 before the shift.
  const lines = Array.from({ length: 1001 }, (_, i) => `${1_700_000_000_000 + i},${i + 1 + shift},1`);
  writeFileSync(join(runDir, file), `epoch_ms,latency_ms,ok\n${lines.join('\n')}\n`);
  return {
    topology,
    kind: topology,
    round,
    startedAt: '2026-01-01T00:00:00Z',
    load: { samplesFile: file, requests: 1001, failed: 0, droppedIterations: 0, measuredSeconds: 20 },
    app: {
      requests: 1100,
      cpuSeconds: 2.2,
      spansStarted: spans.ended,
      spansEnded: spans.ended,
      spansExported: spans.delivered,
      spansExportFailed: 0,
      spansDropped: 0,
      exportCalls: 10,
      exportSeconds: 0.05,
      eventLoopP99Ms: 3,
      eventLoopMaxMs: 9,
      rssBytes: 100 * 2 ** 20,
    },
    backend: {
      spans: spans.delivered,
      traces: spans.delivered / 6,
      rootSpans: spans.delivered / 6,
      generations: spans.delivered / 6,
      lagP50Ms: 40,
      lagP99Ms: 90,
      lagMaxMs: 120,
    },
    cpuBusy: topology === 'collector' ? { cpu0: 0.9 + round / 50, cpu1: 0.5 } : { cpu0: 0.4, cpu1: 0.3 },
  };
}

const record: RunRecord = {
  runId: 'synthetic',
  startedAt: 'a',
  finishedAt: 'b',
  target: 'local',
  backend: 'ingest-sink',
  quick: false,
  doc,
  machine: { cpus: 2, cpuModel: 'test', memoryGiB: 4, os: 'linux', node: 'v24' },
  pinning: {},
  tools: {},
  slots: [
    slot('baseline', 1, 0, { ended: 0, delivered: 0 }),
    slot('collector', 1, 10, { ended: 6600, delivered: 6600 }),
    slot('baseline', 2, 0, { ended: 0, delivered: 0 }),
    slot('collector', 2, 10, { ended: 6600, delivered: 6594 }),
  ],
};

describe('analyze', () => {
  const results = analyze(record, runDir);
  const [baseline, collector] = results.topologies;

  it('pools the measured samples of every round into known percentiles', () => {
    expect(baseline.latencyMs).toMatchObject({ p50: 501, p99: 991, count: 2002 });
    expect(collector.latencyMs.p50).toBe(511);
    expect(collector.rounds.map((r) => r.p50)).toEqual([511, 511]);
  });

  it('computes the known overhead, with a CI that contains it', () => {
    for (const k of ['p50', 'p95', 'p99'] as const) {
      const o = collector.overhead![k];
      expect(o.ms).toBeCloseTo(10, 9);
      expect(o.ciLowMs).toBeLessThanOrEqual(10);
      expect(o.ciHighMs).toBeGreaterThanOrEqual(10);
    }
    expect(collector.overhead!.p50.relative).toBeCloseTo(10 / 501, 9);
    expect(baseline.overhead).toBeUndefined();
  });

  it('accounts for spans: emitted vs delivered, lost and loss ratio', () => {
    expect(collector.spans).toMatchObject({ ended: 13200, delivered: 13194, lost: 6, perRequest: 6 });
    expect(collector.spans.lossRatio).toBeCloseTo(6 / 13200, 12);
  });

  it('derives app cost and throughput', () => {
    expect(collector.app.cpuMsPerRequest).toBeCloseTo(2, 9); // 4.4 s over 2200 requests
    expect(collector.throughputRps).toBeCloseTo(2002 / 40, 9);
    expect(collector.exportLagMs).toEqual({ p50: 40, p99: 90, max: 120 });
  });

  it('reports how busy each core was, and warns when one was saturated', () => {
    expect(collector.cpuBusy.cpu0).toBeCloseTo(0.93, 9); // mean of 0.92 and 0.94
    expect(baseline.cpuBusy).toEqual({ cpu0: 0.4, cpu1: 0.3 });
    expect(results.caveats.join(' ')).toMatch(/more than 90% busy during collector/);
    expect(markdownReport(results)).toMatch(/cpu0 93%, cpu1 50%/);
  });

  it('says a test double was the backend, in every format', () => {
    expect(results.caveats.join(' ')).toMatch(/ingest-sink, a test double/);
    expect(terminalSummary(results)).toMatch(/ingest-sink, a Langfuse stand-in/);
    expect(markdownReport(results)).toMatch(/ingest-sink — a Langfuse stand-in \(test double\)/);
    const html = htmlReport(results);
    expect(html).toMatch(/<svg[^>]+latency by percentile/);
    expect(html).toMatch(/<svg[^>]+overhead vs baseline/);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/); // self-contained
  });
});
