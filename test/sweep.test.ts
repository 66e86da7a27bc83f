// A short real sweep through the CLI: real k6, collector, apps and sink. The values reach the
// apps (spans per request is exactly the value), every round runs every variant, each variant
// is paired with the baseline of its value, and sweep.{json,md,html} have their shape. Timing
// is never asserted.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SweepResults } from '../infra/analysis/sweep-results.ts';
import type { RunRecord } from '../infra/load/record.ts';
import { minimal } from './support/specs.ts';

const root = new URL('..', import.meta.url).pathname;
const tracelab = (...args: string[]) =>
  spawnSync(process.execPath, [join(root, 'scripts/tracelab.ts'), ...args], { cwd: root, encoding: 'utf8', timeout: 400_000 });

describe('tracelab sweep (short real run)', { timeout: 420_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'tracelab-sweep-'));
  const spec = join(dir, 'sweep.yaml');
  writeFileSync(
    spec,
    minimal(`  app: { workload: { llmLatency: 20ms, llmJitter: 5ms, nestingDepth: 2 } }
  topologies:
    - topology: baseline
    - topology: collector
      sdk: { flushInterval: 500ms }
  load: { rate: 20, warmup: 1s, duration: 3s, rounds: 3, interference: { retries: 0 } }`),
  );
  const runDir = join(dir, 'results', 'sweep');
  let result: ReturnType<typeof tracelab>;
  beforeAll(() => {
    result = tracelab(
      'sweep',
      '--spec',
      spec,
      '--vary',
      'app.workload.spansPerRequest=4,8',
      '--skip-headroom',
      '--results',
      join(dir, 'results'),
      '--run-id',
      'sweep',
    );
  }, 420_000);

  it('completes and writes the sweep report beside the report of every variant', () => {
    expect(result.status, result.stdout + result.stderr).toBe(0);
    for (const file of ['sweep.json', 'report.md', 'report.html', 'results.json', 'variants.html', 'variants.md', 'raw/record.json'])
      expect(existsSync(join(runDir, file)), file).toBe(true);
    expect(result.stdout).toMatch(/4 variants per round: baseline-4, baseline-8, collector-4, collector-8/);
    expect(result.stdout).toMatch(/topology +spansPerRequest +Δp50 +Δp99/);
  });

  it('every round ran every variant, in its own seeded order, and each slot its own workload', () => {
    const record = JSON.parse(readFileSync(join(runDir, 'raw', 'record.json'), 'utf8')) as RunRecord;
    expect(record.orders).toHaveLength(3);
    for (const order of record.orders) expect([...order].sort()).toEqual(['baseline-4', 'baseline-8', 'collector-4', 'collector-8']);
    expect(record.sweep!.variants.map((v) => [v.name, v.baseline ?? null])).toEqual([
      ['baseline-4', null],
      ['baseline-8', null],
      ['collector-4', 'baseline-4'],
      ['collector-8', 'baseline-8'],
    ]);
    // The value reached the app: it made exactly that many spans per request, and all arrived.
    for (const [name, spans] of [
      ['collector-4', 4],
      ['collector-8', 8],
    ] as const) {
      const slots = record.slots.filter((s) => s.topology === name);
      expect(slots).toHaveLength(3);
      for (const s of slots) {
        expect(s.app.spansEnded).toBe(spans * s.app.requests);
        expect(s.backend.spans).toBe(s.app.spansEnded);
      }
    }
  });

  it('sweep.json lays each topology out against the values, with intervals where the run allows', () => {
    const r = JSON.parse(readFileSync(join(runDir, 'sweep.json'), 'utf8')) as SweepResults;
    expect(r.knobs).toEqual([{ path: 'app.workload.spansPerRequest', scope: 'workload', values: [4, 8] }]);
    expect(r.series.map((s) => s.label)).toEqual(['collector']);
    const [collector] = r.series;
    expect(collector.points.map((p) => [p.values[0], p.spansPerRequest, p.spansLost])).toEqual([
      [4, 4, 0],
      [8, 8, 0],
    ]);
    for (const p of collector.points) {
      expect(p.overhead!.p50.ciLowMs).toBeLessThanOrEqual(p.overhead!.p50.ms); // 3 rounds, ≥ 20 requests: a p50 interval
      expect(p.overhead!.p99.resolution).toBe('no-interval'); // < 1000 requests: none for p99
      expect(p.cpuOverheadMsPerRequest).toBeDefined();
    }
    expect(collector.change!.p50!.ciLowMs).toBeDefined();
    expect(r.baselines.map((b) => b.points.length)).toEqual([2]);
  });

  it('report.html has the Δ plots with a band, CPU and event-loop plots; report.md the table', () => {
    const html = readFileSync(join(runDir, 'report.html'), 'utf8');
    expect(html.match(/<svg /g)).toHaveLength(5);
    expect(html.match(/<polygon /g)?.length).toBeGreaterThanOrEqual(1);
    const md = readFileSync(join(runDir, 'report.md'), 'utf8');
    expect(md).toMatch(/\| collector \| 4 \|/);
    expect(md).toMatch(/\| collector \| 8 \|/);
    expect(md).toMatch(/Δp50 moves by [+-]\d/);
  });

  it('tracelab report re-renders the sweep report and the report of every variant', () => {
    const again = tracelab('report', runDir);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/variants\.html[\s\S]*report\.html/);
    expect(readFileSync(join(runDir, 'report.html'), 'utf8')).toContain('tracelab sweep — sweep');
    expect(readFileSync(join(runDir, 'variants.html'), 'utf8')).toContain('tracelab report — sweep');
  });
});

describe('tracelab sweep refuses a bad sweep before anything runs', () => {
  it('names the path, the value and what is allowed; exit 2', () => {
    const wrong = tracelab('sweep', '--vary', 'app.workload.payloadByte=1');
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/spec\.app\.workload\.payloadByte: no such field; did you mean "payloadBytes"\?/);
    const refused = tracelab('sweep', '--vary', 'topologies[*].sdk.samplingRatio=0.5,3');
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/samplingRatio: value 3 is refused: .*Allowed: a number from 0 to 1/);
  });

  it('validate checks a sweep: in the spec the same way', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracelab-sweep-validate-'));
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, minimal('  sweep: { vary: ["topologies[*].sdk.batchSize=64,4096"] }'));
    const refused = tracelab('validate', '--spec', bad);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/spec\.sweep: the sweep cannot run[\s\S]*batchSize: value 4096 is refused: must not exceed sdk\.queueSize \(2048\)/);
    const good = join(dir, 'good.yaml');
    writeFileSync(good, minimal('  sweep: { preset: sampling }'));
    expect(tracelab('validate', '--spec', good).stdout).toMatch(
      /sweep: topologies\[\*\]\.sdk\.samplingRatio = 0, 0\.1, 0\.5, 1; 9 variants per round, about \d+ min/,
    );
  });

  it('--dry-run and --list-presets run nothing and say how long each would take', () => {
    const dry = tracelab('sweep', '--preset', 'exec-time', '--dry-run');
    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/9 variants per round: baseline-100ms, .*collector-5s; about \d+ min/);
    const list = tracelab('sweep', '--list-presets');
    expect(list.status, list.stderr).toBe(0);
    for (const name of ['exec-time', 'capture-size', 'nesting', 'client-per-request', 'flush-per-request', 'batch-size', 'sampling'])
      expect(list.stdout).toMatch(new RegExp(`${name}: [\\s\\S]*?about \\d+ min`));
  });
});
