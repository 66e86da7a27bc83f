// A short real lab run through the CLI: real k6, real collector, real app and sink.
// Checks the report's numbers against the raw samples and k6's own summary, and that no
// span was lost.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Results } from '../infra/analysis/results.ts';
import { quantileSorted, sortedCopy } from '../infra/analysis/percentiles.ts';
import { readSamples } from '../infra/load/k6-run.ts';
import { minimal } from './support/specs.ts';

const root = new URL('..', import.meta.url).pathname;
const tracelab = (...args: string[]) =>
  spawnSync(process.execPath, [join(root, 'scripts/tracelab.ts'), ...args], { cwd: root, encoding: 'utf8', timeout: 170_000 });

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
  load: { rate: 20, warmup: 1s, duration: 3s, rounds: 2 }`),
  );
  const runDir = join(dir, 'results', 'short');
  let result: ReturnType<typeof tracelab>;
  beforeAll(() => {
    result = tracelab('lab', '--spec', spec, '--results', join(dir, 'results'), '--run-id', 'short');
  }, 180_000);

  it('completes and writes the report files', () => {
    expect(result.status, result.stdout + result.stderr).toBe(0);
    for (const file of ['results.json', 'report.md', 'report.html', 'raw/record.json']) expect(existsSync(join(runDir, file)), file).toBe(true);
    expect(result.stdout).toMatch(/round 2\/2 +collector/);
    expect(result.stdout).toMatch(/topology +p50 +p95 +p99 +p99\.9/);
  });

  it("the report's percentiles are those of the raw samples, and agree with k6's own", () => {
    const results = JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')) as Results;
    for (const t of results.topologies) {
      const files = [1, 2].map((r) => join(runDir, 'raw', 'samples', `${t.name}-r${r}.csv`));
      const pooled = sortedCopy(files.flatMap((f) => Array.from(readSamples(f).latencyMs)));
      expect(pooled.length).toBe(t.latencyMs.count);
      expect(t.requests).toBe(pooled.length);
      expect(pooled.length).toBeGreaterThanOrEqual(2 * 3 * 20 * 0.9); // rate × duration × rounds
      expect(t.latencyMs.p99).toBeCloseTo(quantileSorted(pooled, 0.99), 9);
      expect(t.k6CrossCheckMs).toBeLessThan(0.001); // k6 computed the same figures per round
    }
  });

  it('lost no span: every span the app ended reached the backend', () => {
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
