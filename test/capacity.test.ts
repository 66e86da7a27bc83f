// Short real capacity runs through the CLI: real k6, collectors, apps and sink. Outcomes
// that do not depend on the machine's speed are forced by the SLO — one generous enough that
// every step keeps it (the knee lies above the highest rate tried), one that no step can keep
// (the search steps down and reports the knee below the lowest rate) — and the report's shape,
// the gateway's OTLP steps and the sizing table are checked. The harness's headroom is measured
// into a fresh cache once, then read from it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CapacityResults } from '../infra/analysis/capacity-results.ts';
import { kneeOf } from '../infra/analysis/knee.ts';
import type { CapacityRecord } from '../infra/load/capacity-record.ts';
import { minimal } from './support/specs.ts';

const root = new URL('..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'tracelab-capacity-'));
const env = { ...process.env, TRACELAB_CACHE: join(dir, 'cache') };
const tracelab = (...args: string[]) =>
  spawnSync(process.execPath, [join(root, 'scripts/tracelab.ts'), ...args], { cwd: root, encoding: 'utf8', timeout: 400_000, env });
const results = join(dir, 'results');

function write(name: string, body: string): string {
  const file = join(dir, name);
  writeFileSync(file, minimal(body));
  return file;
}

describe('tracelab capacity: every step keeps a generous SLO', { timeout: 420_000 }, () => {
  const spec = write(
    'generous.yaml',
    `  app: { workload: { llmLatency: 20ms, llmJitter: 5ms } }
  topologies:
    - topology: baseline
    - topology: collector
      sdk: { flushInterval: 500ms }
  load: { interference: { retries: 0 }, slo: { p99: 10s, maxDroppedIterations: 1000 } }
  capacity:
    startRate: 20
    maxRate: 40
    growth: 2
    maxSteps: 3
    stepDuration: 3s
    stepWarmup: 1s
    gateway: { startRate: 5, maxRate: 20, spansPerBatch: 16 }`,
  );
  const runDir = join(results, 'generous');
  let run: ReturnType<typeof tracelab>;
  beforeAll(() => {
    run = tracelab('capacity', '--spec', spec, '--skip-headroom', '--results', results, '--run-id', 'generous');
  }, 420_000);

  it('climbs to maxRate for each topology and reports the knee above it', () => {
    expect(run.status, run.stdout + run.stderr).toBe(0);
    for (const file of ['capacity.json', 'report.md', 'report.html', 'raw/capacity.json']) expect(existsSync(join(runDir, file)), file).toBe(true);
    const r = JSON.parse(readFileSync(join(runDir, 'capacity.json'), 'utf8')) as CapacityResults;
    expect(r.topologies.map((t) => t.name)).toEqual(['baseline', 'collector']);
    for (const t of r.topologies) {
      expect(t.steps.map((s) => s.rate)).toEqual([20, 40]);
      expect(t.steps.every((s) => s.ok && s.breaches.length === 0)).toBe(true);
      expect(t.knee).toMatchObject({ status: 'above-max', keptRps: 40 });
    }
    expect(run.stdout).toMatch(/collector: kept the SLO up to 40 req\/s, the highest rate tried/);
  });

  it("measures the app's CPU per request, tracing's share per 1000 spans and the collector's", () => {
    const r = JSON.parse(readFileSync(join(runDir, 'capacity.json'), 'utf8')) as CapacityResults;
    const [baseline, collector] = r.topologies;
    expect(baseline.appCpuMsPerRequest).toBeGreaterThan(0);
    expect(collector.spansPerRequest).toBe(6);
    expect(collector.tracingCpuMsPerRequest).toBeDefined();
    expect(collector.tracingCpuMsPer1kSpans).toBeCloseTo((collector.tracingCpuMsPerRequest! * 1000) / 6, 6);
    expect(collector.collectorCpuMsPer1kSpans).toBeGreaterThan(0);
    // Every step is a lab slot with its own samples, and delivered every span.
    const record = JSON.parse(readFileSync(join(runDir, 'raw', 'capacity.json'), 'utf8')) as CapacityRecord;
    for (const s of record.steps) {
      expect(existsSync(join(runDir, s.slot.load.samplesFile))).toBe(true);
      expect(s.slot.backend.spans).toBe(s.slot.app.spansEnded);
    }
    expect(kneeOf(collector.steps)).toEqual(collector.knee);
  });

  it('drives the gateway alone with OTLP and counts every span it accepted at the sink', () => {
    const record = JSON.parse(readFileSync(join(runDir, 'raw', 'capacity.json'), 'utf8')) as CapacityRecord;
    const g = record.gateway!;
    expect(g.steps[0]).toMatchObject({ rate: 5, spansPerBatch: 16 });
    expect(g.steps[0].acceptedSpans).toBeGreaterThan(0);
    expect(g.steps[0].deliveredSpans).toBe(g.steps[0].acceptedSpans);
    expect(g.memoryLimitMiB).toBe(512); // the kind profile's gateway limit
    expect(readdirSync(join(runDir, 'raw', 'otlp'))).toContain('gateway-s1.pb');
    const r = JSON.parse(readFileSync(join(runDir, 'capacity.json'), 'utf8')) as CapacityResults;
    expect(r.gateway!.steps.length).toBe(g.steps.length);
    expect(run.stdout).toMatch(/Gateway \(batches of 16 spans/);
  });

  it('the report has the latency-vs-load plot; the sizing table is printed and re-sized from the saved run', () => {
    const html = readFileSync(join(runDir, 'report.html'), 'utf8');
    expect(html).toContain('aria-label="latency against offered load"');
    expect(run.stdout).toMatch(/Sizing for 50 req\/s at 6 spans\/request[\s\S]*collector +\d/);
    const again = tracelab('capacity', '--from', runDir, '--target-rate', '2000', '--spans-per-request', '30');
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/Sizing for 2000 req\/s at 30 spans\/request[\s\S]*collector +[\d.]+ +[\d.]+ +\d+ × 1 +60000/);
    const rendered = tracelab('report', runDir, '--reanalyze');
    expect(rendered.status, rendered.stderr).toBe(0);
    expect(rendered.stdout).toMatch(/Knee per topology[\s\S]*Report: .*report\.md/);
  });
});

describe('tracelab capacity: no step can keep an impossible SLO', { timeout: 300_000 }, () => {
  it('steps down from the start rate and reports the knee below the lowest rate tried', () => {
    const spec = write(
      'impossible.yaml',
      `  app: { workload: { llmLatency: 20ms, llmJitter: 5ms } }
  topologies: [{ topology: baseline }]
  load: { interference: { retries: 0 }, slo: { p99: 1ms } }
  capacity: { startRate: 20, growth: 4, maxSteps: 3, stepDuration: 2s, stepWarmup: 1s, gateway: { enabled: false } }`,
    );
    const run = tracelab('capacity', '--spec', spec, '--skip-headroom', '--results', results, '--run-id', 'impossible');
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const r = JSON.parse(readFileSync(join(results, 'impossible', 'capacity.json'), 'utf8')) as CapacityResults;
    expect(r.topologies[0].steps.map((s) => [s.rate, s.ok, s.breaches])).toEqual([
      [1, false, ['p99']],
      [5, false, ['p99']],
      [20, false, ['p99']],
    ]);
    expect(r.topologies[0].knee).toMatchObject({ status: 'below-min', brokeRps: 1 });
    expect(r.gateway).toBeUndefined();
    expect(run.stdout).toMatch(/baseline: broke the SLO already at 1 req\/s \(p99 above the SLO\)/);
  });

  it('bad flags stop before anything runs', () => {
    expect(tracelab('capacity', '--topologies', 'nope').stderr).toMatch(/--topologies: no topology named nope/);
    expect(tracelab('capacity', '--target-rate', 'fast').status).toBe(2);
    expect(tracelab('capacity', '--from', join(dir, 'nowhere')).stderr).toMatch(/is .* a capacity run\?/);
  });
});

describe('tracelab headroom', { timeout: 200_000 }, () => {
  it('measures the harness once into the cache, then reads it from there', () => {
    const first = tracelab('headroom');
    expect(first.status, first.stdout + first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^Measured /m);
    expect(first.stdout).toMatch(/sustains ~\d+ req\/s at 6 spans\/request \(warns above \d+\)/);
    const cached = readdirSync(join(dir, 'cache')).filter((f) => /^harness-[0-9a-f]{16}\.json$/.test(f));
    expect(cached).toHaveLength(1);
    const h = JSON.parse(readFileSync(join(dir, 'cache', cached[0]), 'utf8'));
    expect(h.k6CpuMsPerRequest).toBeGreaterThan(0);
    expect(h.pipelineCpuMsPer1kSpans).toBeCloseTo(h.collectorCpuMsPer1kSpans + h.sinkCpuMsPer1kSpans, 9);
    const second = tracelab('headroom');
    expect(second.stdout).toMatch(/^Cached /m);
  });
});
