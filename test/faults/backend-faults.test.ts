// Given a real lab (k6, collector binary, apps, ingest-sink), when the backend answers 500s
// (not retried), is down (503, retried) and is slow — each at the same offset into every
// topology's measured phase — then every span the app ended is either at the sink or in a
// counter that says where it went: the sink's count of distinct spans is the independent check.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FAST_APP, type FaultRun, countedCauses, runFaultLab } from './run.ts';

describe('backend faults on a real lab', { timeout: 300_000 }, () => {
  let run: FaultRun;
  beforeAll(() => {
    run = runFaultLab(
      'backend-faults',
      `${FAST_APP}
  topologies:
    - topology: baseline
    - { topology: inprocess, sdk: { flushInterval: 500ms } }
    - { topology: collector, sdk: { flushInterval: 500ms } }
  load: { rate: 20, warmup: 1s, duration: 12s, rounds: 1, interference: { retries: 0 } }
  faults:
    - { kind: backend-errors, at: 1s, duration: 2s, ratio: 1, status: 500 }
    - { kind: backend-outage, at: 4s, duration: 3s }
    - { kind: backend-slow, at: 8s, duration: 2s, latency: 300ms, jitter: 100ms }`,
    );
  }, 300_000);

  it('completes, and records each fault where and when it was applied in every slot', () => {
    expect(run.status, run.output.slice(-3000)).toBe(0);
    for (const topology of ['baseline', 'inprocess', 'collector']) {
      const { faultRun } = run.slot(topology);
      expect(faultRun, topology).toBeDefined();
      expect(faultRun!.faults.map((f) => [f.kind, f.applied, f.target])).toEqual([
        ['backend-errors', true, 'backend'],
        ['backend-outage', true, 'backend'],
        ['backend-slow', true, 'backend'],
      ]);
      for (const f of faultRun!.faults) {
        const offset = (f.startedMs! - faultRun!.measuredStartMs) / 1000;
        expect(offset, `${topology} ${f.kind}`).toBeGreaterThanOrEqual(Number.parseInt(f.at, 10) - 0.1);
        expect(offset, `${topology} ${f.kind}`).toBeLessThan(Number.parseInt(f.at, 10) + 3); // a busy machine delays timers
      }
      expect(faultRun!.series.t.length).toBeGreaterThan(10);
    }
  });

  it('loses spans to the 500s (not retried), and the sink count plus the counted causes add up to every span ended', () => {
    for (const topology of ['inprocess', 'collector']) {
      const slot = run.slot(topology);
      const delivered = slot.backendFinal!.spans;
      const lost = slot.app.spansEnded - delivered;
      expect(lost, `${topology} lost nothing: the 500 window did not bite`).toBeGreaterThan(0);
      expect(
        lost,
        `${topology}: ended ${slot.app.spansEnded}, delivered ${delivered}, counters ${JSON.stringify({ app: slot.app, collector: slot.collector })}`,
      ).toBe(countedCauses(slot));
    }
    // Where: the app's exporter for inprocess, the collector (gave up: 500 is not retried) for collector.
    expect(run.slot('inprocess').app.spansExportFailed).toBeGreaterThan(0);
    expect(run.slot('collector').collector!.sendFailedSpans).toBeGreaterThan(0);
    expect(run.slot('collector').app.spansExportFailed).toBe(0);
  });

  it('results and report carry the loss table, with nothing unaccounted', () => {
    for (const name of ['inprocess', 'collector']) {
      const f = run.results.topologies.find((t) => t.name === name)!.faults!;
      expect(f.causes.unexplained, name).toBe(0);
      expect(f.causes.lostInCrash, name).toBe(0);
      expect(f.lost).toBe(f.ended - f.delivered);
      expect(f.latency.requestsDuring).toBeGreaterThan(0);
      expect(f.timeline.windows.filter((w) => w.applied)).toHaveLength(3);
    }
    const report = readFileSync(join(run.runDir, 'report.md'), 'utf8');
    expect(report).toMatch(/## Fault run/);
    expect(report).toMatch(/Fault run: spans lost, and where they went/);
    expect(readFileSync(join(run.runDir, 'report.html'), 'utf8')).toMatch(/<rect[^>]*fill="#d93025" opacity="0.1"><title>backend-outage/);
  });
});
