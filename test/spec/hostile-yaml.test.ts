// Property tests of the spec validator against hostile YAML: random text, valid specs mutated
// line by line, and random values placed anywhere in a valid document. Properties:
//   1. it never throws anything but a SpecError;
//   2. a SpecError names, for every problem, a path or a line, and says something;
//   3. it never accepts an invalid spec — what it accepts passes rules written out again
//      here, independently of the schema, and parses again unchanged.
import fc from 'fast-check';
import { isMap, parseDocument, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { durationMs } from '../../contracts/duration.ts';
import { SpecError, parseSpec } from '../../contracts/spec/read.ts';
import { type TraceLab, traceLabSchema } from '../../contracts/spec/schema.ts';
import { DEFAULT_SPEC_TEXT, EXTERNAL_DATASTORES, minimal } from '../support/specs.ts';

const FC = { seed: Number(process.env.FUZZ_SEED ?? 20261123), numRuns: Number(process.env.FUZZ_RUNS ?? 300) } as const;

const FAULT_SPEC = minimal(`  topologies:
    - topology: baseline
    - { topology: collector, name: gw, collector: { persistentQueue: { enabled: true } }, sdk: { batchSize: 64, queueSize: 128 } }
    - { topology: sidecar }
  load: { duration: 60s, rate: 20 }
  faults:
    - { kind: backend-outage, at: 5s, duration: 20s, response: refuse }
    - { kind: collector-crash, at: 10s, duration: 5s }
    - { kind: backend-errors, at: 30s, duration: 5s, ratio: 0.5, status: 429 }`);
const VALID = [DEFAULT_SPEC_TEXT, EXTERNAL_DATASTORES, FAULT_SPEC];

const DNS = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DURATION = /^\d+(ms|s|m|h)$/;

/** The rules an accepted spec must satisfy, written out again without the schema. */
function expectValid(doc: TraceLab): void {
  const { spec } = doc;
  expect(doc.apiVersion).toBe('tracelab.dev/v1alpha1');
  expect(doc.kind).toBe('TraceLab');
  expect(doc.metadata.name).toMatch(DNS);
  expect(['kind', 'eks']).toContain(spec.profile);
  const names = spec.topologies.map((t) => t.name);
  expect(new Set(names).size).toBe(names.length);
  expect(spec.topologies.some((t) => t.topology === 'baseline')).toBe(true);
  for (const t of spec.topologies) {
    expect(['baseline', 'inprocess', 'collector', 'sidecar', 'agent']).toContain(t.topology);
    expect(t.name).toMatch(DNS);
    expect(Number.isInteger(t.sdk.batchSize) && t.sdk.batchSize >= 1 && t.sdk.batchSize <= t.sdk.queueSize).toBe(true);
    expect(t.sdk.samplingRatio >= 0 && t.sdk.samplingRatio <= 1).toBe(true);
    if (t.collector) expect(['collector', 'sidecar', 'agent']).toContain(t.topology);
  }
  const { load } = spec;
  expect(Number.isInteger(load.rate) && load.rate >= 1 && load.rate <= 100_000).toBe(true);
  expect(Number.isInteger(load.rounds) && load.rounds >= 1 && load.rounds <= 200).toBe(true);
  for (const d of [load.duration, load.warmup]) expect(d).toMatch(DURATION);
  const w = spec.app.workload;
  expect(w.nestingDepth <= w.spansPerRequest).toBe(true);
  const backend: Array<[number, number]> = [];
  for (const f of spec.faults) {
    expect(f.at).toMatch(DURATION);
    expect(f.duration).toMatch(DURATION);
    const from = durationMs(f.at);
    const to = from + durationMs(f.duration);
    expect(to).toBeLessThanOrEqual(durationMs(load.duration));
    if (f.kind.startsWith('backend-')) {
      for (const [a, b] of backend) expect(from >= b || to <= a).toBe(true);
      backend.push([from, to]);
    }
  }
  // What was accepted parses again as it is.
  expect(traceLabSchema.safeParse(JSON.parse(JSON.stringify(doc))).success).toBe(true);
}

/** Parses; any outcome but a valid spec or a well-formed SpecError fails the property. */
function check(text: string): 'accepted' | 'rejected' {
  let doc: TraceLab;
  try {
    doc = parseSpec(text, 'hostile.yaml');
  } catch (error) {
    expect(error, String((error as Error)?.stack)).toBeInstanceOf(SpecError);
    const problems = (error as SpecError).problems;
    expect(problems.length).toBeGreaterThan(0);
    for (const p of problems) {
      expect(p.path !== '' || p.line !== undefined, `a problem without path or line: ${p.message}`).toBe(true);
      expect(p.message.length).toBeGreaterThan(3);
    }
    expect((error as SpecError).message).toMatch(/^hostile\.yaml( is not a valid TraceLab spec)?/);
    return 'rejected';
  }
  expectValid(doc);
  return 'accepted';
}

const HOSTILE_VALUES = [
  '-1',
  '0',
  '1e309',
  '""',
  'null',
  '~',
  '[]',
  '{}',
  "'x'",
  '!!binary aGk=',
  '*nope',
  '&a 1',
  '999999999999999',
  '2s',
  'true',
  '.inf',
  'x'.repeat(500),
  '"\\u0000"',
  '0x10',
  '1_000',
];

/** One line-level mutation of a valid spec. */
const lineMutation = (lines: string[]) =>
  fc.oneof(
    fc.record({ op: fc.constant('delete' as const), at: fc.nat(lines.length - 1) }),
    fc.record({ op: fc.constant('duplicate' as const), at: fc.nat(lines.length - 1) }),
    fc.record({ op: fc.constant('value' as const), at: fc.nat(lines.length - 1), value: fc.constantFrom(...HOSTILE_VALUES) }),
    fc.record({ op: fc.constant('insert' as const), at: fc.nat(lines.length - 1), text: fc.string({ maxLength: 20 }) }),
    fc.record({ op: fc.constant('indent' as const), at: fc.nat(lines.length - 1), by: fc.integer({ min: -4, max: 4 }) }),
    fc.record({ op: fc.constant('truncate' as const), at: fc.nat(lines.length - 1) }),
  );

function mutate(lines: string[], m: { op: string; at: number; value?: string; text?: string; by?: number }): string {
  const out = [...lines];
  const line = out[m.at];
  switch (m.op) {
    case 'delete':
      out.splice(m.at, 1);
      break;
    case 'duplicate':
      out.splice(m.at, 0, line);
      break;
    case 'value':
      out[m.at] = /:\s*\S/.test(line) ? line.replace(/:\s*(\S.*)$/, `: ${m.value}`) : `${line} ${m.value}`;
      break;
    case 'insert':
      out[m.at] = `${line.slice(0, m.at % (line.length + 1))}${m.text}${line.slice(m.at % (line.length + 1))}`;
      break;
    case 'indent':
      out[m.at] = (m.by ?? 0) > 0 ? `${' '.repeat(m.by!)}${line}` : line.replace(new RegExp(`^ {0,${-(m.by ?? 0)}}`), '');
      break;
    case 'truncate':
      return out.slice(0, m.at).join('\n');
  }
  return out.join('\n');
}

describe('the spec validator against hostile YAML', () => {
  it('random text: a valid spec or a SpecError naming a path or line, nothing else', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 400 }), fc.string({ unit: 'binary', maxLength: 400 })), (text) => {
        check(text);
      }),
      FC,
    );
  });

  it('valid specs mutated line by line (1-3 mutations): never a wrong acceptance, always a located error', () => {
    let rejected = 0;
    for (const base of VALID) {
      const lines = base.split('\n');
      fc.assert(
        fc.property(fc.array(lineMutation(lines), { minLength: 1, maxLength: 3 }), (mutations) => {
          let text = base;
          for (const m of mutations) text = mutate(text.split('\n'), { ...m, at: Math.min(m.at, text.split('\n').length - 1) });
          if (check(text) === 'rejected') rejected++;
        }),
        FC,
      );
    }
    // The mutations must bite, or the property says nothing.
    expect(rejected).toBeGreaterThan(VALID.length * FC.numRuns * 0.3);
  });

  it('random values anywhere in a valid document: never a wrong acceptance, always a located error', () => {
    const doc = parseDocument(FAULT_SPEC).toJS() as Record<string, unknown>;
    const paths: Array<Array<string | number>> = [];
    const walk = (value: unknown, path: Array<string | number>) => {
      paths.push(path);
      if (Array.isArray(value)) {
        for (const [i, v] of value.entries()) walk(v, [...path, i]);
      } else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
    };
    walk(doc, []);
    fc.assert(
      fc.property(fc.constantFrom(...paths.slice(1)), fc.jsonValue({ maxDepth: 3 }), (path, value) => {
        const copy = structuredClone(doc);
        let here = copy as Record<string | number, unknown>;
        for (const key of path.slice(0, -1)) here = here[key] as Record<string | number, unknown>;
        here[path.at(-1)!] = value;
        check(stringify(copy));
      }),
      FC,
    );
  });

  it('an alias bomb ("billion laughs") is refused quickly with a located error', () => {
    const levels = Array.from({ length: 10 }, (_, i) => `l${i + 1}: &l${i + 1} [${Array(10).fill(`*l${i}`).join(',')}]`);
    const text = `l0: &l0 "lol"\n${levels.join('\n')}\n${minimal()}`;
    const started = Date.now();
    expect(check(text)).toBe('rejected');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(isMap(parseDocument('a: 1').contents)).toBe(true);
  });
});
