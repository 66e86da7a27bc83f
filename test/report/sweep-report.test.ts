// The sweep and capacity reports rendered from synthetic results: the plots, the tables and
// the verdict in words, in every format.
import { describe, expect, it } from 'vitest';
import { judgeClaim } from '../../infra/analysis/claim.ts';
import type { CapacityResults } from '../../infra/analysis/capacity-results.ts';
import type { Overhead } from '../../infra/analysis/results.ts';
import type { SweepPoint, SweepResults, SweepSeries } from '../../infra/analysis/sweep-results.ts';
import { capacityHtml, capacityMarkdown } from '../../infra/report/capacity.ts';
import { sweepHtml, sweepMarkdown } from '../../infra/report/sweep.ts';
import { sweepTerminal } from '../../infra/report/sweep-terminal.ts';

const overhead = (ms: number, half?: number): Overhead => ({
  ms,
  ...(half === undefined ? {} : { ciLowMs: ms - half, ciHighMs: ms + half, halfWidthMs: half }),
  resolution: half === undefined ? 'no-interval' : ms - half > 0 ? 'higher' : 'not-resolved',
  relative: 0,
});
const VALUES = ['100ms', '1s', '5s'];
const point = (value: string, d50: number, d99: number): SweepPoint => ({
  variant: `x-${value}`,
  values: [value],
  requests: 1200,
  failed: 0,
  droppedIterations: 0,
  latencyMs: { p50: 100, p99: 120, p999: 130 },
  overhead: { p50: overhead(d50, 0.4), p99: overhead(d99, 1.5), p999: overhead(d99 + 5) },
  cpuMsPerRequest: 4,
  cpuOverheadMsPerRequest: 1,
  eventLoopP99Ms: 11,
  eventLoopMaxMs: 30,
  spansPerRequest: 6,
  spansLost: 0,
  lossRatio: 0,
});
const series = (name: string, d50: number[], change: [number, number]): SweepSeries => ({
  topology: name,
  kind: 'inprocess',
  fixed: [],
  label: name,
  points: VALUES.map((v, i) => point(v, d50[i], d50[i] + 1)),
  change: {
    p50: { from: '100ms', to: '5s', ms: (change[0] + change[1]) / 2, ciLowMs: change[0], ciHighMs: change[1] },
    p99: { from: '100ms', to: '5s', ms: 0, ciLowMs: -0.5, ciHighMs: 0.5 },
  },
});

function sweep(changes: Array<[number, number]>): SweepResults {
  const s = [series('inprocess', [1, 1.1, 1.2], changes[0]), series('collector', [0.8, 0.9, 2.5], changes[1])];
  return {
    runId: 'synthetic',
    startedAt: '',
    finishedAt: '',
    backend: 'ingest-sink',
    quick: false,
    specName: 'default',
    machine: { cpus: 2, cpuModel: 'test', memoryGiB: 8, os: 'linux', node: 'v24' },
    pinning: { all: 'unpinned' },
    interval: { method: 'rounds-jackknife', confidence: 0.95 },
    preset: {
      name: 'exec-time',
      hypothesis: 'a constant ~2–3 ms',
      claim: { kind: 'constant-overhead', lowMs: 2, highMs: 3, toleranceMs: 1 },
      setup: '20 req/s',
    },
    knobs: [{ path: 'app.workload.llmLatency', scope: 'workload', values: VALUES }],
    roundsRun: 3,
    load: { scenario: 'steady', rate: 20, duration: '20s', warmup: '6s', rounds: 3, roundsRun: 3 },
    series: s,
    baselines: [{ ...series('baseline', [0, 0, 0], [0, 0]), kind: 'baseline', change: undefined }],
    claim: judgeClaim({ kind: 'constant-overhead', lowMs: 2, highMs: 3, toleranceMs: 1 }, s),
    caveats: [{ kind: 'quick' }],
  };
}

describe('the sweep report', () => {
  it('html: Δ plots with interval bands where intervals exist, CPU and loop plots, the tables', () => {
    const html = sweepHtml(
      sweep([
        [-0.3, 0.4],
        [1.1, 2.3],
      ]),
    );
    expect(html.match(/<svg /g)).toHaveLength(5);
    // Bands on Δp50 and Δp99 for both topologies; Δp99.9 has no interval, so no band.
    expect(html.match(/<polygon /g)).toHaveLength(4);
    expect(html).toContain('app.workload.llmLatency (values equally spaced)');
    expect(html).toMatch(/<strong>The data refute a constant overhead<\/strong>: for collector/);
  });

  it('markdown and terminal: the hypothesis, the verdict per topology, one row per point', () => {
    const md = sweepMarkdown(
      sweep([
        [-0.3, 0.4],
        [-0.2, 0.5],
      ]),
    );
    expect(md).toContain('Hypothesis (preset exec-time): a constant ~2–3 ms');
    expect(md).toContain('**The data confirm a constant overhead**');
    expect(md).toMatch(/inprocess: constant; Δp50 against the claimed size — 100ms: below the claimed 2–3 ms/);
    expect(md).toMatch(/\| inprocess \| 5s \| \*\*\+1\.20 ms \[\+0\.80, \+1\.60\]\*\* \|/);
    expect(md).toMatch(/\| baseline \| 1s \| 100 \| 120 \| 130 \|/);
    const terminal = sweepTerminal(
      sweep([
        [-3, 2.4],
        [-0.2, 0.5],
      ]),
    );
    expect(terminal).toContain('The data neither confirm nor refute a constant overhead');
    expect(terminal).not.toContain('**');
  });
});

describe('the capacity report', () => {
  const step = (rate: number, ok: boolean, p99: number) => ({
    rate,
    ok,
    breaches: ok ? [] : ['p99' as const],
    p50Ms: p99 / 2,
    p99Ms: p99,
    errorRatio: 0,
    droppedIterations: 0,
    lossRatio: 0,
    step: 1,
    p999Ms: p99,
    requests: 100,
    appCpuMsPerRequest: 4,
    spansPerRequest: 6,
    appCoreBusy: 0.5,
    supportCoreBusy: 0.2,
    foreign: 0,
  });
  const r = {
    runId: 'cap',
    specName: 'default',
    backend: 'ingest-sink',
    quick: false,
    machine: { cpus: 2, cpuModel: 'test', memoryGiB: 8, os: 'linux', node: 'v24' },
    pinning: {},
    slo: { p99: '500ms', maxErrorRatio: 0.01, maxDroppedIterations: 0, maxSpanLossRatio: 0 },
    search: { startRate: 10, maxRate: 2000, growth: 2, resolution: 0.05, maxSteps: 14, stepDuration: '10s', stepWarmup: '3s' },
    workload: { spansPerRequest: 6, payloadBytes: 2048, llmLatency: '100ms', llmJitter: '20ms', cpuWork: '2ms' },
    targetRate: 50,
    collector: { replicaCpu: '1', batchSize: 512 },
    topologies: [
      {
        name: 'inprocess',
        kind: 'inprocess',
        baseline: 'baseline',
        steps: [step(10, true, 120), step(20, true, 130), step(40, false, 900), step(30, true, 200)].sort((a, b) => a.rate - b.rate),
        knee: { status: 'found', keptRps: 30, brokeRps: 40, estimateRps: 35, uncertaintyRps: 5, breaches: ['p99'], nonMonotone: false },
        spansPerRequest: 6,
        harnessLimited: false,
      },
    ],
    foreignMax: 0,
  } as unknown as CapacityResults;

  it('plots latency against offered load with the SLO, and words the knee with its bracket', () => {
    const html = capacityHtml(r);
    expect(html).toContain('aria-label="latency against offered load"');
    expect(html).toContain('SLO p99');
    expect(html.match(/fill="#fff"/g)).toHaveLength(1); // the one step that broke the SLO
    const md = capacityMarkdown(r);
    expect(md).toContain('inprocess: knee ≈ 35.0 ± 5.0 req/s — kept the SLO at 30, broke it at 40 (p99 above the SLO).');
    expect(md).toMatch(/\| inprocess \| 35\.0 ± 5\.0 \| 30 \| 40 \| p99 \|/);
  });
});
