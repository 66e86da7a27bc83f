// A short real lab run through the CLI: real k6, real collector, real apps and sink. The
// report's percentiles are recomputed here from the raw sample files and compared with k6's
// own summary files — without the project's readers or quantile function — and no span may
// be lost.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Results } from '../infra/analysis/results.ts';
import { minimal } from './support/specs.ts';

const root = new URL('..', import.meta.url).pathname;
const tracelab = (...args: string[]) =>
  spawnSync(process.execPath, [join(root, 'scripts/tracelab.ts'), ...args], { cwd: root, encoding: 'utf8', timeout: 170_000 });

/** Type-7 percentile, written out again on purpose: an oracle independent of infra/analysis. */
function oraclePercentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const h = (sorted.length - 1) * q;
  return sorted[Math.floor(h)] + (h - Math.floor(h)) * (sorted[Math.ceil(h)] - sorted[Math.floor(h)]);
}

/** Latencies of the successful requests in a samples file, parsed by hand. */
function okLatencies(file: string): number[] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(','))
    .filter((cols) => cols[2] === '1')
    .map((cols) => Number(cols[1]));
}

describe('tracelab lab (short real run)', { timeout: 180_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'tracelab-lab-'));
  const spec = join(dir, 'lab.yaml');
  writeFileSync(
    spec,
    minimal(`  app: { workload: { llmLatency: 20ms, llmJitter: 5ms } }
  topologies:
    - topology: baseline
    - topology: collector
      sdk: { flushInterval: 500ms }
  load: { rate: 20, warmup: 1s, duration: 3s, rounds: 3, interference: { retries: 0 } }`),
  );
  const runDir = join(dir, 'results', 'short');
  let result: ReturnType<typeof tracelab>;
  beforeAll(() => {
    result = tracelab('lab', '--spec', spec, '--results', join(dir, 'results'), '--run-id', 'short');
  }, 180_000);

  it('completes and writes the report files', () => {
    expect(result.status, result.stdout + result.stderr).toBe(0);
    for (const file of ['results.json', 'report.md', 'report.html', 'raw/record.json']) expect(existsSync(join(runDir, file)), file).toBe(true);
    expect(result.stdout).toMatch(/round 3\/3 +collector/);
    expect(result.stdout).toMatch(/topology +p50 +p95 +p99 +p99\.9/);
  });

  it("the report's percentiles are those of the raw samples, and k6's own summaries agree", () => {
    const results = JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')) as Results;
    const record = JSON.parse(readFileSync(join(runDir, 'raw', 'record.json'), 'utf8')) as {
      slots: Array<{ topology: string; round: number; load: { samplesFile: string } }>;
    };
    for (const t of results.topologies) {
      const files = [1, 2, 3].map((r) => record.slots.find((s) => s.topology === t.name && s.round === r)!.load.samplesFile);
      expect(files).toEqual([1, 2, 3].map((r) => `raw/samples/${t.name}-r${r}.csv`)); // no re-runs: retries 0
      const perRound = files.map((file) => okLatencies(join(runDir, file)));
      const pooled = perRound.flat();
      expect(pooled.length).toBe(t.latencyMs.count);
      expect(pooled.length).toBeGreaterThanOrEqual(3 * 3 * 20 * 0.9); // rate × duration × rounds
      expect(t.latencyMs.p99).toBeCloseTo(oraclePercentile(pooled, 0.99), 9);
      expect(t.latencyMs.p50).toBeCloseTo(oraclePercentile(pooled, 0.5), 9);
      perRound.forEach((samples, i) => {
        const k6 = JSON.parse(readFileSync(join(runDir, 'raw', 'k6', `${t.name}-r${i + 1}.summary.json`), 'utf8')).metrics[
          'http_req_duration{phase:measure,expected_response:true}'
        ];
        expect(k6, `k6 summary of ${t.name} round ${i + 1}`).toBeDefined();
        expect(oraclePercentile(samples, 0.99)).toBeCloseTo(k6['p(99)'], 3);
        expect(oraclePercentile(samples, 0.5)).toBeCloseTo(k6.med, 3);
      });
      expect(Number.isFinite(t.k6CrossCheckMs)).toBe(true);
      expect(t.k6CrossCheckMs).toBeLessThan(0.001);
    }
  });

  it('lost no span: every span the app ended reached the backend, counted in its own slot', () => {
    const results = JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')) as Results;
    const collector = results.topologies.find((t) => t.name === 'collector')!;
    expect(collector.spans.ended).toBeGreaterThan(0);
    expect(collector.spans.delivered).toBe(collector.spans.ended);
    expect(collector.spans.lost).toBe(0);
    expect(collector.spans.perRequest).toBe(6);
    expect(collector.collector!.accepted).toBe(collector.spans.ended);
    const baseline = results.topologies.find((t) => t.name === 'baseline')!;
    expect(baseline.spans.ended).toBe(0);
  });

  it('rotates the order of topologies per round (seeded) and records it, with a fresh app per slot', () => {
    const record = JSON.parse(readFileSync(join(runDir, 'raw', 'record.json'), 'utf8'));
    expect(record.orders).toHaveLength(3);
    for (const order of record.orders) expect([...order].sort()).toEqual(['baseline', 'collector']);
    for (const label of ['baseline-r1', 'collector-r3']) expect(existsSync(join(runDir, 'logs', `app-${label}.log`)), label).toBe(true);
    const timeline = JSON.parse(readFileSync(join(runDir, 'raw', 'timelines', 'collector-r1.json'), 'utf8'));
    expect(timeline.requests.length).toBeGreaterThan(30);
    expect(timeline.exports.length).toBeGreaterThan(0);
  });

  it('tracelab report re-renders from results.json and compares runs', () => {
    const again = tracelab('report', runDir);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/Report: .*report\.md/);
    const compare = tracelab('report', runDir, runDir);
    expect(compare.status).toBe(0);
    expect(compare.stdout).toMatch(/\| collector \|/);
    expect(tracelab('report', join(dir, 'nope')).status).toBe(2);
  });
});
