// Expanding a sweep into variants, and refusing a bad one with the path and what is allowed.
import { describe, expect, it } from 'vitest';
import { loadSpecFile, parseSpec } from '../../contracts/spec/read.ts';
import { SweepError } from '../../contracts/spec/sweep-paths.ts';
import { estimateMinutes, MAX_VARIANTS, parseVary, planSweep } from '../../infra/experiment/sweep.ts';
import { SWEEP_PRESETS } from '../../infra/experiment/sweep-presets.ts';
import { DEFAULT_SPEC_TEXT, minimal } from '../support/specs.ts';

const doc = parseSpec(DEFAULT_SPEC_TEXT, 'tracelab.yaml');
const fieldReport = loadSpecFile(new URL('../../examples/field-report.yaml', import.meta.url).pathname);
const vary = (...texts: string[]) => planSweep({ doc, vary: texts.map(parseVary), topologies: ['inprocess', 'collector'] });

function problems(f: () => unknown): string[] {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(SweepError);
    return [...(error as SweepError).problems];
  }
  throw new Error('expected the sweep to be refused');
}

describe('a workload knob: every value gets its own baseline', () => {
  const plan = vary('app.workload.payloadBytes=0,1KiB,1MiB');

  it('one variant per topology and value, each traced one paired with the baseline of its value', () => {
    const rows = plan.record.variants.map((v) => [v.name, v.values[0], v.baseline ?? null]);
    expect(rows).toEqual([
      ['baseline-0', 0, null],
      ['baseline-1024', 1024, null],
      ['baseline-1048576', 1048576, null],
      ['inprocess-0', 0, 'baseline-0'],
      ['inprocess-1024', 1024, 'baseline-1024'],
      ['inprocess-1048576', 1048576, 'baseline-1048576'],
      ['collector-0', 0, 'baseline-0'],
      ['collector-1024', 1024, 'baseline-1024'],
      ['collector-1048576', 1048576, 'baseline-1048576'],
    ]);
    expect(plan.doc.spec.topologies.map((t) => t.name)).toEqual(rows.map(([name]) => name));
  });

  it("each variant's slots run its own workload; everything else is the spec's", () => {
    expect(plan.overrides.get('baseline-1048576')!.workload).toEqual({ ...doc.spec.app.workload, payloadBytes: 1048576 });
    expect(plan.overrides.get('inprocess-0')!.load).toEqual(doc.spec.load);
    expect(plan.doc.spec.topologies.find((t) => t.name === 'collector-1024')).toMatchObject({ topology: 'collector', sdk: doc.spec.topologies[2].sdk });
    expect(plan.record.knobs).toEqual([{ path: 'app.workload.payloadBytes', scope: 'workload', values: [0, 1024, 1048576] }]);
    expect(plan.record.interleaved).toBe(true);
  });

  it('a load knob (load.rate) is per slot too, with a baseline per value', () => {
    const rate = vary('load.rate=10,40');
    expect(rate.overrides.get('inprocess-40')!.load.rate).toBe(40);
    expect(rate.record.variants.find((v) => v.name === 'inprocess-40')!.baseline).toBe('baseline-40');
  });
});

describe('a knob of the traced topologies: one baseline serves every value', () => {
  it('[*] varies every traced topology; the baseline stays one', () => {
    const plan = vary('topologies[*].sdk.batchSize=64,512');
    expect(plan.record.variants.map((v) => [v.name, v.baseline ?? null])).toEqual([
      ['baseline', null],
      ['inprocess-64', 'baseline'],
      ['inprocess-512', 'baseline'],
      ['collector-64', 'baseline'],
      ['collector-512', 'baseline'],
    ]);
    expect(plan.doc.spec.topologies.find((t) => t.name === 'collector-64')!.sdk.batchSize).toBe(64);
    expect(plan.record.variants[0].values).toEqual([null]);
  });

  it('[name] varies that topology only; the others run once', () => {
    const plan = vary('topologies[inprocess].instrumentation.antiPattern=none,client-per-request');
    expect(plan.record.variants.map((v) => v.name)).toEqual(['baseline', 'inprocess-none', 'inprocess-client-per-request', 'collector']);
    expect(plan.record.variants.find((v) => v.name === 'collector')!.values).toEqual([null]);
  });

  it('a grid: payload × capture gives a baseline per payload and a variant per pair', () => {
    const plan = vary('app.workload.payloadBytes=0,64KiB', 'topologies[*].instrumentation.captureIO=true,false');
    const names = plan.record.variants.map((v) => v.name);
    expect(names.filter((n) => n.startsWith('baseline'))).toEqual(['baseline-0', 'baseline-65536']);
    expect(names).toContain('inprocess-65536-captureio-false');
    expect(plan.record.variants.find((v) => v.name === 'collector-65536-captureio-true')).toMatchObject({ values: [65536, true], baseline: 'baseline-65536' });
    expect(names).toHaveLength(2 + 2 * 2 * 2);
  });
});

describe('a bad sweep is refused naming the path and what is allowed', () => {
  it.each([
    [
      'a field that does not exist',
      'app.workload.payloadByte=1',
      /spec\.app\.workload\.payloadByte: no such field; did you mean "payloadBytes"\? Allowed here: spansPerRequest/,
    ],
    [
      'a value of the wrong type',
      'app.workload.payloadBytes=abc',
      /payloadBytes: value "abc" is refused: must be a number \(got "abc"\)\. Allowed: a whole number from 0 to 16777216/,
    ],
    [
      'a value out of range',
      'topologies[*].sdk.samplingRatio=0.5,2',
      /samplingRatio: value 2 is refused: must be at most 1 \(got 2\)\. Allowed: a number from 0 to 1/,
    ],
    [
      'a value outside an enum',
      'topologies[*].sdk.exportMode=fast',
      /exportMode: value "fast" is refused: must be "batched" or "immediate" \(got "fast"\)\. Allowed: one of "batched" \| "immediate"/,
    ],
    ['a value a cross-field rule refuses', 'app.workload.nestingDepth=3,10', /nestingDepth: value 10 is refused: must not exceed spansPerRequest \(6\)/],
    ['a duration the schema refuses', 'app.workload.llmLatency=1 second', /llmLatency: value "1 second" is refused: must be a duration such as "250ms"/],
    ['a section, not a value', 'app.workload=1', /spec\.app\.workload: is not a single value; sweep one of its fields: spansPerRequest/],
    ['a list without a selector', 'topologies.sdk.batchSize=1', /spec\.topologies: is a list; say which entries, e\.g\. topologies\[\*\]/],
    ['a topology that does not exist', 'topologies[nope].sdk.batchSize=1', /topologies\[nope\]: no such topology; the spec has baseline, inprocess, collector/],
    ['the baseline', 'topologies[baseline].sdk.batchSize=8', /is a baseline, which loads no SDK/],
    [
      'a knob the lab runs once per run',
      'collector.batch.timeout=1s,2s',
      /spec\.collector\.batch\.timeout: cannot be swept slot by slot.*Sweepable: app\.workload/,
    ],
    ['what makes a topology another app', 'topologies[*].runtime=python', /runtime changes which app or baseline it is/],
    ['a value given twice', 'load.rate=10,10', /a value is given twice/],
    ['no values', 'load.rate=', /write <spec path>=<v1>,<v2>/],
  ])('%s', (_label, text, message) => {
    const found = problems(() => vary(text));
    expect(found.join('\n')).toMatch(message);
  });

  it('the same path twice, preset and --vary together, nothing to vary, too many variants', () => {
    expect(problems(() => vary('load.rate=1,2', 'load.rate=3'))[0]).toMatch(/varied twice/);
    expect(problems(() => planSweep({ doc, preset: 'batch-size', vary: [parseVary('load.rate=1,2')] }))[0]).toMatch(/either --preset or --vary/);
    expect(problems(() => planSweep({ doc }))[0]).toMatch(/nothing to vary/);
    expect(problems(() => planSweep({ doc, preset: 'nope' }))[0]).toMatch(/no sweep preset "nope"; presets: exec-time, capture-size/);
    const many = Array.from({ length: 20 }, (_, i) => i + 1).join(',');
    expect(problems(() => planSweep({ doc, vary: [parseVary(`load.rate=${many}`)] }))[0]).toMatch(
      new RegExp(`100 variants per round .*at most ${MAX_VARIANTS}`),
    );
    expect(problems(() => planSweep({ doc, vary: [parseVary('load.rate=1,2')], topologies: ['nope'] }))[0]).toMatch(/--topologies: no topology named nope/);
  });
});

describe('the spec, presets and --quick', () => {
  it("the spec's sweep: section is used when no flag is given", () => {
    const withSweep = parseSpec(minimal('  sweep: { vary: ["topologies[*].sdk.samplingRatio=0.5,1"] }'));
    expect(planSweep({ doc: withSweep }).record.variants.map((v) => v.name)).toEqual(expect.arrayContaining(['inprocess-0-5', 'agent-1']));
    const preset = parseSpec(minimal('  sweep: { preset: flush-per-request }'));
    expect(planSweep({ doc: preset }).record.preset?.name).toBe('flush-per-request');
  });

  it.each(SWEEP_PRESETS.map((p) => p.name))('%s plans on the default spec and the field report, states its hypothesis, fits in half an hour', (name) => {
    for (const spec of [doc, fieldReport]) {
      const plan = planSweep({ doc: spec, preset: name });
      expect(plan.record.preset!.hypothesis.length).toBeGreaterThan(40);
      expect(plan.doc.spec.topologies.length).toBeLessThanOrEqual(MAX_VARIANTS);
      expect(plan.doc.spec.topologies.some((t) => t.topology === 'sidecar' || t.topology === 'agent')).toBe(false);
      if (spec === doc) expect(estimateMinutes(plan)).toBeLessThan(20);
      else expect(estimateMinutes(plan)).toBeLessThan(45);
    }
  });

  it('exec-time carries the claim it tests and enough k6 users for 5 s requests', () => {
    const plan = planSweep({ doc, preset: 'exec-time' });
    expect(plan.record.preset!.claim).toEqual({ kind: 'constant-overhead', lowMs: 2, highMs: 3, toleranceMs: 1 });
    const slow = plan.overrides.get('inprocess-5s')!;
    expect(slow.workload.llmLatency).toBe('5s');
    expect(slow.load.maxVUs).toBeGreaterThanOrEqual(slow.load.rate * 5 * 2);
  });

  it('--quick shortens every variant, after the preset', () => {
    const plan = planSweep({ doc, preset: 'batch-size', quick: true });
    expect(plan.overrides.get('inprocess-8')!.load).toMatchObject({ rounds: 3, duration: '7s', warmup: '2s', rate: 50 });
  });
});
