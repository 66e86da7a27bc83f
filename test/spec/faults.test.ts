// Faults in the spec: the presets are valid specs that run every collector topology with the
// persistent queue off and on; fault rules name the field and the fix; the CLI refuses an
// unknown preset or sink mode with its usage.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectorConfig, collectorSettingsFor } from '../../contracts/collector-config.ts';
import { PRESET_NAMES } from '../../contracts/spec/presets.ts';
import { SpecError, parseSpec } from '../../contracts/spec/read.ts';
import { DEFAULT_SPEC_TEXT, minimal } from '../support/specs.ts';

const problems = (text: string) => {
  try {
    parseSpec(text, 'f.yaml');
  } catch (error) {
    if (error instanceof SpecError) return error.problems;
    throw error;
  }
  return [];
};

describe('fault presets', () => {
  it.each(PRESET_NAMES)('%s is a valid spec over the default one, every collector topology with a -pq twin', (name) => {
    const doc = parseSpec(DEFAULT_SPEC_TEXT, 'tracelab.yaml', { preset: name });
    expect(doc.spec.faults.length).toBeGreaterThan(0);
    const names = doc.spec.topologies.map((t) => t.name);
    for (const kind of ['collector', 'sidecar', 'agent']) expect(names).toEqual(expect.arrayContaining([kind, `${kind}-pq`]));
    const pq = doc.spec.topologies.find((t) => t.name === 'collector-pq')!;
    expect(collectorSettingsFor(doc.spec.collector, pq).persistentQueue.enabled).toBe(true);
    expect(doc.spec.load.rounds).toBe(1);
    // The rest of the spec stays as written.
    expect(doc.spec.load.rate).toBe(50);
  });

  it('with the persistent queue on, no batch processor holds spans in front of it', () => {
    const doc = parseSpec(DEFAULT_SPEC_TEXT, 'tracelab.yaml', { preset: 'collector-crash' });
    const settings = collectorSettingsFor(doc.spec.collector, doc.spec.topologies.find((t) => t.name === 'sidecar-pq')!);
    const config = collectorConfig({ settings, langfuseOtelEndpoint: 'http://x/api/public/otel', bindHost: '127.0.0.1', queueDirectory: '/q' });
    expect(config.service.pipelines.traces.processors).toEqual(['memory_limiter']);
    expect(config.exporters['otlp_http/langfuse']).toMatchObject({ sending_queue: { storage: 'file_storage', batch: { min_size: 512 } } });
    const plain = collectorConfig({ settings: doc.spec.collector, langfuseOtelEndpoint: 'http://x/api/public/otel', bindHost: '127.0.0.1' });
    expect(plain.service.pipelines.traces.processors).toEqual(['memory_limiter', 'batch']);
  });
});

describe('fault rules name the field and the fix', () => {
  it.each([
    [
      'a fault past the measured phase',
      '  load: { duration: 20s }\n  faults: [{ kind: backend-slow, at: 15s, duration: 10s }]',
      'spec.faults[0].duration',
      /exceeds load\.duration \(20s\)/,
    ],
    [
      'overlapping backend faults',
      '  faults:\n    - { kind: backend-outage, at: 5s, duration: 10s }\n    - { kind: backend-errors, at: 10s, duration: 5s }',
      'spec.faults[1].at',
      /overlaps spec\.faults\[0\]/,
    ],
    ['an unknown kind', '  faults: [{ kind: meteor, at: 1s, duration: 1s }]', 'spec.faults[0].kind', /"backend-outage" \| .*\(got "meteor"\)/],
    ['a zero-length crash', '  faults: [{ kind: collector-crash, at: 1s, duration: 0s }]', 'spec.faults[0].duration', /longer than 0s/],
    [
      'collector settings on a topology without a collector',
      '  topologies: [{ topology: baseline }, { topology: inprocess, collector: { persistentQueue: { enabled: true } } }]',
      'spec.topologies[1].collector',
      /only a topology that exports through a collector/,
    ],
  ])('%s', (_what, spec, path, message) => {
    const found = problems(minimal(spec)).find((p) => p.path === path);
    expect(found, JSON.stringify(problems(minimal(spec)))).toBeDefined();
    expect(found!.message).toMatch(message);
    expect(found!.line).toBeGreaterThan(5);
  });

  it('overlapping process faults are fine (a crash during an outage is the point)', () => {
    expect(
      problems(minimal('  faults:\n    - { kind: backend-outage, at: 5s, duration: 10s }\n    - { kind: collector-crash, at: 8s, duration: 2s }')),
    ).toEqual([]);
  });
});

describe('tracelab lab flags', () => {
  const root = new URL('../..', import.meta.url).pathname;
  const lab = (...args: string[]) => spawnSync(process.execPath, [join(root, 'scripts/tracelab.ts'), 'lab', ...args], { cwd: root, encoding: 'utf8' });

  it('an unknown preset or sink mode exits 2, naming what is allowed', () => {
    const preset = lab('--preset', 'earthquake');
    expect(preset.status).toBe(2);
    expect(preset.stderr).toMatch(/--preset must be one of outage, slow-backend, collector-crash/);
    const sink = lab('--sink', 'fast');
    expect(sink.status).toBe(2);
    expect(sink.stderr).toMatch(/--sink must be queue or count/);
  });

  it('--help lists the presets and the sink modes', () => {
    const help = lab('--help');
    expect(help.stdout).toMatch(/--preset <name>[\s\S]*outage[\s\S]*slow-backend[\s\S]*collector-crash/);
    expect(help.stdout).toMatch(/--sink <mode>/);
  });
});
