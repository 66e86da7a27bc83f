import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { SpecError, loadSpecFile, parseSpec } from '../../contracts/spec/read.ts';
import { appImage } from '../../contracts/spec/runtimes.ts';
import { DEFAULT_SPEC_TEXT, EKS_STAGING, EXTERNAL_DATASTORES, minimal } from '../support/specs.ts';

function problems(text: string): Array<{ path: string; message: string; line?: number }> {
  try {
    parseSpec(text, 'bad.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(SpecError);
    return [...(error as SpecError).problems];
  }
  throw new Error('expected the spec to be rejected');
}

describe('a valid spec', () => {
  it('the shipped tracelab.yaml parses, with the five topologies', () => {
    const doc = parseSpec(DEFAULT_SPEC_TEXT, 'tracelab.yaml');
    expect(doc.spec.topologies.map((t) => t.name)).toEqual(['baseline', 'inprocess', 'collector', 'sidecar', 'agent']);
  });

  it('defaults round-trip: a fully defaulted spec parses back to itself', () => {
    const once = parseSpec(minimal(), 'a.yaml');
    const twice = parseSpec(stringify(once), 'b.yaml');
    expect(twice).toEqual(once);
  });

  it('images follow the Langfuse major unless set', () => {
    const v3 = parseSpec(minimal('  langfuse: { version: 3 }'));
    expect(v3.spec.langfuse.web.image).toBe('langfuse/langfuse:3.225.4');
    expect(v3.spec.langfuse.worker.image).toBe('langfuse/langfuse-worker:3.225.4');
    const pinned = parseSpec(minimal('  langfuse: { web: { image: "langfuse/langfuse:4.2.0" } }'));
    expect(pinned.spec.langfuse.web.image).toBe('langfuse/langfuse:4.2.0');
    expect(pinned.spec.datastores.clickhouse).toMatchObject({ image: 'clickhouse/clickhouse-server:26.4.4.38' });
  });

  it('a datastore without mode is in-cluster', () => {
    const doc = parseSpec(minimal('  datastores: { redis: { image: "redis:7.4" } }'));
    expect(doc.spec.datastores.redis).toMatchObject({ mode: 'in-cluster', image: 'redis:7.4' });
  });
});

describe('profiles', () => {
  it('kind shrinks resources below the production defaults of eks', () => {
    const kind = parseSpec(minimal('  profile: kind'));
    const eks = parseSpec(EXTERNAL_DATASTORES);
    expect(kind.spec.langfuse.web.resources.requests.cpu).toBe('200m');
    expect(eks.spec.langfuse.web.resources.requests.cpu).toBe('2');
    expect(parseSpec(EKS_STAGING).spec.datastores.postgres).toMatchObject({ storage: { storageClassName: 'gp3' } });
  });

  it('eks runs ClickHouse and the object store as managed services, and says what to fill in', () => {
    const doc = parseSpec(EKS_STAGING);
    expect(doc.spec.datastores.clickhouse.mode).toBe('external');
    expect(doc.spec.datastores.objectStore.mode).toBe('external');
    const found = problems(minimal('  profile: eks'));
    expect(found.map((p) => p.path)).toEqual(expect.arrayContaining(['spec.datastores.clickhouse.url', 'spec.datastores.objectStore.bucket']));
    expect(found.map((p) => p.message).join('\n')).toMatch(/hint: the eks profile expects an external ClickHouse[\s\S]*mode: in-cluster/);
  });

  it('the user spec wins over the profile, field by field', () => {
    const doc = parseSpec(minimal('  langfuse: { web: { replicas: 3 } }'));
    expect(doc.spec.langfuse.web.replicas).toBe(3);
    expect(doc.spec.langfuse.web.resources.requests.cpu).toBe('200m'); // still from the kind profile
  });

  it('--profile overrides spec.profile', () => {
    const doc = parseSpec(EKS_STAGING.replace('profile: eks', 'profile: kind'), 'x.yaml', { profile: 'eks' });
    expect(doc.spec.profile).toBe('eks');
    expect(doc.spec.langfuse.web.replicas).toBe(2);
  });

  it("an external datastore does not inherit the profile's in-cluster fields", () => {
    const doc = parseSpec(minimal('  datastores: { redis: { mode: external, host: r.example } }'));
    expect(doc.spec.datastores.redis).toEqual({ mode: 'external', host: 'r.example', port: 6379, tls: false });
  });
});

describe('an invalid spec names the field, the value and the fix', () => {
  it.each([
    ['unknown field, with a suggestion', '  collector: { gatway: { replicas: 2 } }', 'spec.collector.gatway', /unknown field; did you mean "gateway"/],
    ['unknown top-level field', '  loadd: {}', 'spec.loadd', /unknown field/],
    ['value outside an enum', '  profile: minikube', 'spec.profile', /one of "kind" \| "eks" \(got "minikube"\)/],
    ['wrong type', '  load: { rate: "fast" }', 'spec.load.rate', /expected number \(got "fast"\)/],
    [
      'out of range',
      '  topologies: [{ topology: baseline }, { topology: inprocess, sdk: { samplingRatio: 1.5 } }]',
      'spec.topologies[1].sdk.samplingRatio',
      /<=1 \(got 1.5\)/,
    ],
    ['bad duration', '  load: { warmup: "10 seconds" }', 'spec.load.warmup', /duration such as/],
    ['bad datastore mode', '  datastores: { postgres: { mode: managed } }', 'spec.datastores.postgres.mode', /"in-cluster" \| "external" \(got "managed"\)/],
    ['external datastore without its endpoint', '  datastores: { redis: { mode: external } }', 'spec.datastores.redis.host', /is required/],
    ['unknown topology', '  topologies: [{ topology: baseline }, { topology: daemon }]', 'spec.topologies[1].topology', /"baseline" \| "inprocess"/],
    ['bad DNS name', '  namespace: Trace_Lab', 'spec.namespace', /DNS label/],
  ])('%s', (_label, spec, path, message) => {
    const found = problems(minimal(spec)).find((p) => p.path === path);
    expect(found, `no problem at ${path}`).toBeDefined();
    expect(found!.message).toMatch(message);
  });

  it.each([
    [
      'duplicate names',
      '  topologies: [{ topology: baseline }, { topology: sidecar }, { topology: sidecar }]',
      'spec.topologies[2].name',
      /duplicates spec.topologies\[1\]/,
    ],
    ['no baseline', '  topologies: [{ topology: inprocess }]', 'spec.topologies', /needs a "baseline" entry/],
    [
      'batch larger than queue',
      '  topologies: [{ topology: baseline }, { topology: inprocess, sdk: { batchSize: 4096, queueSize: 1024 } }]',
      'spec.topologies[1].sdk.batchSize',
      /must not exceed sdk.queueSize \(1024\)/,
    ],
    [
      'ClickHouse too old for Langfuse 4',
      '  datastores: { clickhouse: { image: "clickhouse/clickhouse-server:24.8" } }',
      'spec.datastores.clickhouse.image',
      /needs ClickHouse >= 25.12/,
    ],
    [
      'agent topology without the agent',
      '  collector: { agent: { enabled: false } }\n  topologies: [{ topology: baseline }, { topology: agent }]',
      'spec.topologies[1].topology',
      /spec.collector.agent.enabled/,
    ],
    [
      'nesting deeper than the span count',
      '  app: { workload: { spansPerRequest: 2, nestingDepth: 5 } }',
      'spec.app.workload.nestingDepth',
      /must not exceed spansPerRequest \(2\)/,
    ],
  ])('cross-field rule: %s', (_label, spec, path, message) => {
    const found = problems(minimal(spec)).find((p) => p.path === path);
    expect(found, `no problem at ${path}`).toBeDefined();
    expect(found!.message).toMatch(message);
  });

  it.each([
    [
      'an SDK line the runtime does not ship',
      '  topologies: [{ topology: baseline }, { topology: inprocess, sdkVersion: 3 }]',
      'spec.topologies[1].sdkVersion',
      /runtime node ships SDK line 5 \(not 3\)/,
    ],
    ['an SDK line that does not exist', '  app: { runtime: python, sdkVersion: 4 }', 'spec.app.sdkVersion', /./],
    [
      'uvloop for node',
      '  topologies: [{ topology: baseline }, { topology: inprocess, eventLoop: uvloop }]',
      'spec.topologies[1].eventLoop',
      /set runtime: python/,
    ],
    [
      'immediate export in python',
      '  app: { runtime: python }\n  topologies: [{ topology: baseline }, { topology: inprocess, sdk: { exportMode: immediate } }]',
      'spec.topologies[1].sdk.exportMode',
      /no immediate export mode/,
    ],
    [
      'worker serialization in python',
      '  app: { runtime: python }\n  topologies: [{ topology: baseline }, { topology: collector, sdk: { serializeIn: worker } }]',
      'spec.topologies[1].sdk.serializeIn',
      /always encodes on its export thread/,
    ],
    [
      'a hand-built provider in python',
      '  app: { runtime: python }\n  topologies: [{ topology: baseline }, { topology: inprocess, sdk: { setup: hand-built } }]',
      'spec.topologies[1].sdk.setup',
      /exists only in the node app/,
    ],
    [
      'a python topology with only a node baseline',
      '  topologies: [{ topology: baseline }, { topology: inprocess, runtime: python }]',
      'spec.topologies[1].topology',
      /baseline of its own runtime.*add `- \{ topology: baseline, name: baseline-python-asyncio, runtime: python, eventLoop: asyncio \}`/,
    ],
    [
      'a uvloop topology with only an asyncio baseline',
      '  app: { runtime: python }\n  topologies: [{ topology: baseline }, { topology: collector, eventLoop: uvloop }]',
      'spec.topologies[1].topology',
      /none for python\/uvloop/,
    ],
  ])('runtime rule: %s', (_label, spec, path, message) => {
    const found = problems(minimal(spec)).find((p) => p.path === path);
    expect(found, `no problem at ${path}: ${JSON.stringify(problems(minimal(spec)))}`).toBeDefined();
    expect(found!.message).toMatch(message);
  });

  it('node and python topologies side by side: each names its runtime, SDK line, event loop and image', () => {
    const doc = parseSpec(
      minimal(`  app: { runtime: python, sdkVersion: 3 }
  topologies:
    - { topology: baseline, name: base-py }
    - { topology: inprocess, name: py3 }
    - { topology: inprocess, name: py5, sdkVersion: 5, eventLoop: uvloop }
    - { topology: baseline, name: base-py-uv, eventLoop: uvloop }
    - { topology: baseline, name: base-node, runtime: node }
    - { topology: collector, name: node, runtime: node }
  load: { scenario: closed, vus: 100, thinkTime: 50ms }`),
    );
    const apps = doc.spec.topologies.map((t) => [t.name, t.runtime, t.sdkVersion, t.eventLoop, appImage(doc.spec.app.images, t)]);
    expect(apps).toEqual([
      ['base-py', 'python', 3, 'asyncio', 'tracelab/target-python:0.1.0-sdk3'],
      ['py3', 'python', 3, 'asyncio', 'tracelab/target-python:0.1.0-sdk3'],
      ['py5', 'python', 5, 'uvloop', 'tracelab/target-python:0.1.0-sdk5'],
      ['base-py-uv', 'python', 3, 'uvloop', 'tracelab/target-python:0.1.0-sdk3'],
      ['base-node', 'node', 5, 'asyncio', 'tracelab/target-node:0.1.0'],
      ['node', 'node', 5, 'asyncio', 'tracelab/target-node:0.1.0'],
    ]);
    expect(doc.spec.load).toMatchObject({ scenario: 'closed', vus: 100, thinkTime: '50ms' });
  });

  it('examples/field-report.yaml is valid', () => {
    const doc = loadSpecFile(new URL('../../examples/field-report.yaml', import.meta.url).pathname);
    expect(doc.spec.load.scenario).toBe('closed');
    expect(new Set(doc.spec.topologies.map((t) => `${t.runtime}${t.sdkVersion}`))).toEqual(new Set(['python3', 'python5']));
  });

  it('reports every problem at once, each with its line in the file', () => {
    const text = minimal('  profile: minikube\n  load:\n    rate: -5\n    extra: 1');
    const found = problems(text);
    expect(found.map((p) => [p.path, p.line])).toEqual(
      expect.arrayContaining([
        ['spec.profile', 6],
        ['spec.load.rate', 8],
        ['spec.load.extra', 9],
      ]),
    );
  });

  it('a YAML syntax error reports file:line', () => {
    const error = (() => {
      try {
        parseSpec('apiVersion: x\nspec:\n  a: [1\n  b: 2\n', 'broken.yaml');
      } catch (e) {
        return e as SpecError;
      }
    })();
    expect(error?.problems[0].line).toBeGreaterThan(1);
    expect(error?.message).toMatch(/^broken\.yaml is not a valid TraceLab spec/);
    expect(error?.message).toMatch(/broken\.yaml:\d+: YAML:/);
  });

  it('wrong apiVersion or kind', () => {
    const found = problems('apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\n');
    expect(found.map((p) => p.path)).toEqual(expect.arrayContaining(['apiVersion', 'kind']));
  });

  it('an empty file and a missing file say what to do', () => {
    expect(problems('')[0].message).toMatch(/empty/);
    const missing = join(mkdtempSync(join(tmpdir(), 'tracelab-')), 'nope.yaml');
    expect(() => loadSpecFile(missing)).toThrow(/file not found; pass --spec/);
  });

  it('loadSpecFile reads a file and reports its name', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tracelab-')), 'spec.yaml');
    writeFileSync(file, minimal('  load: { rounds: 0 }'));
    expect(() => loadSpecFile(file)).toThrow(new RegExp(`${file}:\\d+: spec.load.rounds`));
  });
});
