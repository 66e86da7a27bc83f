// Invariants of reading a spec, for generated specs rather than hand-picked ones:
// a valid spec survives YAML → parse → YAML → parse unchanged; a spec broken in a known way
// is refused at the broken field; and no text at all makes the reader throw anything but a
// SpecError whose every problem names a path or a line.
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { SpecError, parseSpec } from '../../contracts/spec/read.ts';
import type { TraceLab } from '../../contracts/spec/schema.ts';
import { DEFAULT_SPEC_TEXT } from '../support/specs.ts';
import { runs } from '../support/property-runs.ts';

const dnsLabel = fc.stringMatching(/^[a-z]([-a-z0-9]{0,14}[a-z0-9])?$/);
const duration = fc.tuple(fc.integer({ min: 1, max: 600 }), fc.constantFrom('ms', 's', 'm')).map(([n, unit]) => `${n}${unit}`);
const KINDS = ['inprocess', 'collector', 'sidecar', 'agent'] as const;

const sdk = fc
  .record({
    queueSize: fc.integer({ min: 1, max: 100_000 }),
    batchFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    flushInterval: duration,
    exportTimeout: duration,
    exportMode: fc.constantFrom('batched', 'immediate'),
    samplingRatio: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map(({ batchFraction, ...s }) => ({ ...s, batchSize: Math.max(1, Math.min(10_000, Math.floor(batchFraction * s.queueSize))) }));

const instrumentation = fc.record({
  style: fc.constantFrom('observe', 'active', 'manual'),
  captureIO: fc.boolean(),
  antiPattern: fc.constantFrom('none', 'client-per-request', 'flush-per-request'),
});

const topologies = fc
  .array(
    fc.record({
      topology: fc.constantFrom(...KINDS),
      sdk: fc.option(sdk, { nil: undefined }),
      instrumentation: fc.option(instrumentation, { nil: undefined }),
    }),
    { maxLength: 4 },
  )
  .map((traced) => [
    { topology: 'baseline' },
    // Names are unique by construction: the kind plus the entry's index.
    ...traced.map((t, i) => Object.fromEntries(Object.entries({ ...t, name: `${t.topology}-${i}` }).filter(([, v]) => v !== undefined))),
  ]);

const workload = fc.integer({ min: 1, max: 1000 }).chain((spansPerRequest) =>
  fc.record({
    spansPerRequest: fc.constant(spansPerRequest),
    nestingDepth: spansPerRequest === 1 ? fc.constant(1) : fc.integer({ min: 2, max: Math.min(50, spansPerRequest) }),
    toolCalls: fc.integer({ min: 0, max: 50 }),
    payloadBytes: fc.integer({ min: 0, max: 1 << 20 }),
    llmLatency: duration,
    cpuWork: duration,
  }),
);

const load = fc.integer({ min: 1, max: 500 }).chain((preAllocatedVUs) =>
  fc.record({
    scenario: fc.constantFrom('steady', 'ramp', 'spike', 'soak'),
    rate: fc.integer({ min: 1, max: 100_000 }),
    duration,
    warmup: duration,
    rounds: fc.integer({ min: 1, max: 50 }),
    preAllocatedVUs: fc.constant(preAllocatedVUs),
    maxVUs: fc.integer({ min: preAllocatedVUs, max: 1000 }),
  }),
);

/** A spec a user could write: any subset of sections, every value valid. */
const validInput = fc
  .record({
    name: dnsLabel,
    spec: fc.record(
      {
        profile: fc.constantFrom('kind', 'eks'),
        namespace: dnsLabel,
        langfuse: fc.record({ version: fc.constantFrom(3, 4) }),
        app: fc.record({ workload }),
        topologies,
        load,
      },
      { requiredKeys: [] },
    ),
  })
  // The eks profile expects a managed ClickHouse and S3; a spec under it that has neither asks for them in the cluster.
  .map((input) =>
    input.spec.profile === 'eks'
      ? { ...input, spec: { ...input.spec, datastores: { clickhouse: { mode: 'in-cluster' }, objectStore: { mode: 'in-cluster' } } } }
      : input,
  );
const documentOf = ({ name, spec }: { name: string; spec: object }) => ({ apiVersion: 'tracelab.dev/v1alpha1', kind: 'TraceLab', metadata: { name }, spec });

/** What every accepted spec must satisfy, whatever text it came from. */
function expectInvariants(doc: TraceLab): void {
  const names = doc.spec.topologies.map((t) => t.name);
  expect(new Set(names).size).toBe(names.length);
  expect(doc.spec.topologies.some((t) => t.topology === 'baseline')).toBe(true);
  for (const t of doc.spec.topologies) expect(t.sdk.batchSize).toBeLessThanOrEqual(t.sdk.queueSize);
  expect(doc.spec.load.maxVUs).toBeGreaterThanOrEqual(doc.spec.load.preAllocatedVUs);
  expect(parseSpec(stringify(doc))).toEqual(doc);
}

function problemsOf(text: string): SpecError | 'accepted' {
  try {
    expectInvariants(parseSpec(text, 'gen.yaml'));
    return 'accepted';
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    return error;
  }
}

describe('spec properties', () => {
  it('round trip: a valid spec → YAML → parse keeps every value written, and parsing its output gives it back', () => {
    fc.assert(
      fc.property(validInput, (input) => {
        const doc = parseSpec(stringify(documentOf(input)), 'gen.yaml');
        expect(doc.metadata.name).toBe(input.name);
        if (input.spec.load) expect(doc.spec.load).toMatchObject(input.spec.load);
        if (input.spec.app) expect(doc.spec.app.workload).toMatchObject(input.spec.app.workload);
        if (input.spec.topologies)
          expect(doc.spec.topologies.map((t) => t.name)).toEqual(input.spec.topologies.map((t) => ('name' in t ? t.name : t.topology)));
        expectInvariants(doc);
      }),
      runs(60),
    );
  });

  const setLoad = (d: ReturnType<typeof documentOf>, fields: object) => {
    const spec = d.spec as { load?: object };
    spec.load = { ...spec.load, ...fields };
  };
  // Each break makes a valid spec invalid at a known path.
  const breaks: Array<[string, (doc: ReturnType<typeof documentOf>) => void, string]> = [
    ['rate 0', (d) => setLoad(d, { rate: 0 }), 'spec.load.rate'],
    ['rate as text', (d) => setLoad(d, { rate: 'fast' }), 'spec.load.rate'],
    ['fewer max VUs than pre-allocated', (d) => setLoad(d, { preAllocatedVUs: 10, maxVUs: 9 }), 'spec.load.maxVUs'],
    ['an unknown field', (d) => Object.assign(d.spec, { lod: {} }), 'spec.lod'],
    ['a bad name', (d) => Object.assign(d.metadata, { name: 'Not_A_Label' }), 'metadata.name'],
    ['no baseline', (d) => Object.assign(d.spec, { topologies: [{ topology: 'inprocess' }] }), 'spec.topologies'],
    [
      'two entries with one name',
      (d) => Object.assign(d.spec, { topologies: [{ topology: 'baseline' }, { topology: 'baseline' }] }),
      'spec.topologies[1].name',
    ],
    [
      'a sampling ratio above 1',
      (d) => Object.assign(d.spec, { topologies: [{ topology: 'baseline', sdk: { samplingRatio: 1.01 } }] }),
      'spec.topologies[0].sdk.samplingRatio',
    ],
    ['an unknown profile', (d) => Object.assign(d.spec, { profile: 'minikube' }), 'spec.profile'],
    ['a wrong kind', (d) => Object.assign(d, { kind: 'ConfigMap' }), 'kind'],
  ];

  it('a valid spec broken in a known way is refused at that field, with its line', () => {
    fc.assert(
      fc.property(validInput, fc.constantFrom(...breaks), (input, [, spoil, path]) => {
        const doc = documentOf(structuredClone(input));
        spoil(doc);
        const result = problemsOf(stringify(doc));
        expect(result).toBeInstanceOf(SpecError);
        const found = (result as SpecError).problems.find((p) => p.path === path);
        expect(found, `no problem at ${path}`).toBeDefined();
        expect(found!.line).toBeGreaterThan(0);
      }),
      runs(100),
    );
  });

  const everyProblemIsLocated = (text: string) => {
    const result = problemsOf(text);
    if (result === 'accepted') return;
    expect(result.problems.length).toBeGreaterThan(0);
    for (const p of result.problems) expect(p.path !== '' || (p.line ?? 0) > 0 || /^the file is /.test(p.message), JSON.stringify(p)).toBe(true);
    expect(result.message.split('\n')[0]).toMatch(/^gen\.yaml is not a valid TraceLab spec \(\d+ problems?\):$/);
  };

  it('random edits of the shipped spec: accepted only when valid, otherwise every problem located', () => {
    const lines = DEFAULT_SPEC_TEXT.split('\n');
    const edit = fc.oneof(
      fc.record({ kind: fc.constant('delete-line' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('duplicate-line' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ maxLength: 8 }) }),
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
        let text = DEFAULT_SPEC_TEXT;
        for (const e of edits) {
          const current = text.split('\n');
          const i = e.at % Math.max(1, current.length);
          if (e.kind === 'delete-line') current.splice(i, 1);
          else if (e.kind === 'duplicate-line') current.splice(i, 0, current[i] ?? '');
          if (e.kind === 'insert') {
            const at = e.at % (text.length + 1);
            text = text.slice(0, at) + e.text + text.slice(at);
          } else if (e.kind === 'truncate') text = text.slice(0, e.at % (text.length + 1));
          else text = current.join('\n');
        }
        everyProblemIsLocated(text);
      }),
      runs(150),
    );
    expect(lines.length).toBeGreaterThan(5);
  });

  it('arbitrary text never makes the reader throw anything but a located SpecError', () => {
    const yamlish = fc.array(
      fc.oneof(
        fc.string(),
        fc.constantFrom('---', 'a: 1', '  - x', 'spec:', '  load: {rate: 0}', 'a: *x', '&a b: 1', '? [1]: 2', 'kind: TraceLab', '"k": [', '\t'),
      ),
      {
        maxLength: 12,
      },
    );
    fc.assert(
      fc.property(yamlish, (lines) => everyProblemIsLocated(lines.join('\n'))),
      runs(300),
    );
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), everyProblemIsLocated), runs(200));
  });
});
