// The small parts of the spec module, each on its own: topology → export plan, Langfuse
// versions and ClickHouse minimums, profile layering, and the JSON Schema an editor reads.
import { describe, expect, it } from 'vitest';
import { specJsonSchema } from '../../contracts/spec/json-schema.ts';
import { LANGFUSE_RELEASES, imageMajorMinor, versionAtLeast } from '../../contracts/spec/langfuse-versions.ts';
import { applyProfile, layer } from '../../contracts/spec/profiles.ts';
import { TOPOLOGY_EXPORT, exportPlan } from '../../contracts/spec/topology.ts';

describe('exportPlan', () => {
  const endpoints = { langfuseBaseUrl: 'http://lf', gatewayTracesUrl: 'http://gw', sidecarTracesUrl: 'http://sc', agentTracesUrl: 'http://ag' };
  it.each([
    ['baseline', { tracing: 'none', endpoint: undefined }],
    ['inprocess', { tracing: 'langfuse', endpoint: 'http://lf' }],
    ['collector', { tracing: 'otlp', endpoint: 'http://gw' }],
    ['sidecar', { tracing: 'otlp', endpoint: 'http://sc' }],
    ['agent', { tracing: 'otlp', endpoint: 'http://ag' }],
  ] as const)('%s → %o', (topology, plan) => {
    expect(exportPlan(topology, endpoints)).toEqual(plan);
    expect(TOPOLOGY_EXPORT[topology].description.length).toBeGreaterThan(10);
  });
});

describe('Langfuse versions', () => {
  it('each major names its images and a ClickHouse image that meets its own minimum', () => {
    for (const major of [3, 4] as const) {
      const release = LANGFUSE_RELEASES[major];
      // Pinned to a release of that major, never a floating tag like `:4`.
      expect(release.webImage).toMatch(new RegExp(`^langfuse/langfuse:${major}\\.\\d+\\.\\d+$`));
      expect(release.workerImage).toBe(release.webImage.replace('langfuse/langfuse:', 'langfuse/langfuse-worker:'));
      expect(versionAtLeast(imageMajorMinor(release.clickhouseImage)!, release.clickhouseMinimum)).toBe(true);
    }
    expect(LANGFUSE_RELEASES[3].clickhouseMinimum).toBe('24.3');
    expect(LANGFUSE_RELEASES[4].clickhouseMinimum).toBe('25.12');
  });

  it.each([
    ['clickhouse/clickhouse-server:25.8.3', [25, 8]],
    ['clickhouse/clickhouse-server:26.4', [26, 4]],
    ['registry.example:5000/clickhouse:24.12-alpine', [24, 12]],
    [`clickhouse/clickhouse-server:25.8@sha256:${'a'.repeat(64)}`, [25, 8]],
    ['clickhouse/clickhouse-server:latest', undefined],
    ['clickhouse/clickhouse-server', undefined],
  ])('imageMajorMinor(%s) = %o', (image, expected) => {
    expect(imageMajorMinor(image)).toEqual(expected);
  });

  it.each([
    [[25, 12], '25.12', true],
    [[25, 11], '25.12', false],
    [[26, 1], '25.12', true],
    [[24, 30], '25.12', false],
    [[24, 3], '24.3', true],
    [[24, 2], '24.3', false],
  ] as const)('versionAtLeast(%o, %s) = %s', (actual, minimum, ok) => {
    expect(versionAtLeast([...actual], minimum)).toBe(ok);
  });
});

describe('profiles', () => {
  it('layer: objects merge key by key, arrays and scalars are replaced, undefined keeps the base', () => {
    expect(layer({ a: 1, b: { c: 2, d: 3 }, list: [1, 2] }, { b: { c: 9 }, list: [3], e: 'x' })).toEqual({ a: 1, b: { c: 9, d: 3 }, list: [3], e: 'x' });
    expect(layer({ a: 1 }, undefined)).toEqual({ a: 1 });
    expect(layer('base', { a: 1 })).toEqual({ a: 1 });
    expect(layer({ a: 1 }, null)).toBeNull();
  });

  it('layer: a datastore switched to another mode is replaced whole, not merged', () => {
    expect(layer({ mode: 'in-cluster', image: 'redis', storage: { size: '1Gi' } }, { mode: 'external', host: 'r' })).toEqual({ mode: 'external', host: 'r' });
    expect(layer({ mode: 'in-cluster', image: 'redis' }, { mode: 'in-cluster', image: 'valkey' })).toEqual({ mode: 'in-cluster', image: 'valkey' });
    expect(layer({ image: 'redis' }, { mode: 'external' })).toEqual({ image: 'redis', mode: 'external' });
  });

  it('applyProfile: the preset under the spec, the chosen profile written back, kind by default', () => {
    const kind = applyProfile({ spec: { app: { replicas: 3 } } }) as { spec: { profile: string; app: { replicas: number; resources: object } } };
    expect(kind.spec.profile).toBe('kind');
    expect(kind.spec.app).toEqual({ replicas: 3, resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '1', memory: '512Mi' } } });
    const eks = applyProfile({ spec: { profile: 'kind' } }, 'eks') as {
      spec: { profile: string; datastores: { postgres: { storage: { storageClassName: string } } } };
    };
    expect(eks.spec.profile).toBe('eks');
    expect(eks.spec.datastores.postgres.storage.storageClassName).toBe('gp3');
    expect((applyProfile({ kind: 'TraceLab' }) as { spec: { profile: string } }).spec.profile).toBe('kind');
  });

  it('applyProfile leaves what it cannot layer to the schema to report', () => {
    expect(applyProfile('text')).toBe('text');
    expect(applyProfile({ spec: [1] })).toEqual({ spec: [1] });
    expect(applyProfile({ spec: { profile: 'minikube' } })).toEqual({ spec: { profile: 'minikube' } });
  });
});

describe('specJsonSchema', () => {
  it('is a draft 2020-12 schema titled TraceLab, for the document as written (defaults optional)', () => {
    const schema = specJsonSchema() as {
      $schema: string;
      title: string;
      description: string;
      required: string[];
      properties: Record<string, { required?: string[] }>;
    };
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.title).toBe('TraceLab');
    expect(schema.description).toMatch(/^tracelab\.dev\/v1alpha1 TraceLab spec/);
    expect(schema.required.sort()).toEqual(['apiVersion', 'kind', 'metadata']); // spec has defaults
    expect(schema.properties.metadata.required).toEqual(['name']);
  });
});
