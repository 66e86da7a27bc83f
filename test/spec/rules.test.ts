// The rules between fields, at their edges: each refuses just past its bound with the field to
// change, and accepts the bound itself.
import { describe, expect, it } from 'vitest';
import { SpecError, parseSpec } from '../../contracts/spec/read.ts';
import { minimal } from '../support/specs.ts';

function problems(spec: string): Array<{ path: string; message: string }> {
  try {
    parseSpec(minimal(spec), 'r.yaml');
    return [];
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    return error.problems.map(({ path, message }) => ({ path, message }));
  }
}

describe('rules between fields', () => {
  it.each([
    [
      'nesting 1 with more than one span',
      '  app: { workload: { spansPerRequest: 2, nestingDepth: 1 } }',
      'spec.app.workload.nestingDepth',
      'must be at least 2 when spansPerRequest > 1: every span but the root has a parent (got 1)',
    ],
    [
      'nesting deeper than the spans',
      '  app: { workload: { spansPerRequest: 3, nestingDepth: 4 } }',
      'spec.app.workload.nestingDepth',
      'must not exceed spansPerRequest (3): a chain of depth N needs N spans (got 4)',
    ],
    [
      'a batch bound below the batch size',
      '  collector: { batch: { sendBatchSize: 100, sendBatchMaxSize: 99 } }',
      'spec.collector.batch.sendBatchMaxSize',
      'must be 0 (no bound) or >= sendBatchSize (100) (got 99)',
    ],
    [
      'a spike limit at the memory limit',
      '  collector: { memoryLimiter: { limitPercentage: 50, spikeLimitPercentage: 50 } }',
      'spec.collector.memoryLimiter.spikeLimitPercentage',
      'must be below limitPercentage (50) (got 50)',
    ],
    ['fewer max VUs than pre-allocated', '  load: { preAllocatedVUs: 10, maxVUs: 9 }', 'spec.load.maxVUs', 'must be >= preAllocatedVUs (10) (got 9)'],
    [
      'a batch larger than the queue',
      '  topologies: [{ topology: baseline, sdk: { batchSize: 11, queueSize: 10 } }]',
      'spec.topologies[0].sdk.batchSize',
      'must not exceed sdk.queueSize (10): a batch is taken from the queue (got 11)',
    ],
    [
      'a bucket name too short',
      '  datastores: { objectStore: { mode: external, bucket: ab } }',
      'spec.datastores.objectStore.bucket',
      'must be at least 3 characters long (got "ab")',
    ],
  ])('refuses %s', (_label, spec, path, message) => {
    expect(problems(spec)).toEqual([{ path, message }]);
  });

  it.each([
    ['one span at nesting 1', '  app: { workload: { spansPerRequest: 1, nestingDepth: 1, toolCalls: 0 } }'],
    ['nesting equal to the spans', '  app: { workload: { spansPerRequest: 3, nestingDepth: 3 } }'],
    ['no batch bound', '  collector: { batch: { sendBatchSize: 100, sendBatchMaxSize: 0 } }'],
    ['a batch bound equal to the batch size', '  collector: { batch: { sendBatchSize: 100, sendBatchMaxSize: 100 } }'],
    ['a spike limit just below the memory limit', '  collector: { memoryLimiter: { limitPercentage: 50, spikeLimitPercentage: 49 } }'],
    ['as many max VUs as pre-allocated', '  load: { preAllocatedVUs: 10, maxVUs: 10 }'],
    ['a batch as large as the queue', '  topologies: [{ topology: baseline, sdk: { batchSize: 10, queueSize: 10 } }]'],
    ['the agent topology with the agent on', '  collector: { agent: { enabled: true } }\n  topologies: [{ topology: baseline }, { topology: agent }]'],
    [
      'an external ClickHouse (no image to check)',
      '  datastores: { clickhouse: { mode: external, url: "http://ch:8123", migrationUrl: "clickhouse://ch:9000", user: u, passwordSecretRef: { name: ch, key: p } } }',
    ],
    ['a ClickHouse tag that is not a version', '  datastores: { clickhouse: { image: "clickhouse/clickhouse-server:latest" } }'],
  ])('accepts %s', (_label, spec) => {
    expect(problems(spec)).toEqual([]);
  });

  it('an external ClickHouse gets no image; an in-cluster one the image of the Langfuse major', () => {
    const external = parseSpec(
      minimal(
        '  datastores: { clickhouse: { mode: external, url: "http://ch:8123", migrationUrl: "clickhouse://ch:9000", user: u, passwordSecretRef: { name: ch, key: p } } }',
      ),
    );
    expect(external.spec.datastores.clickhouse).not.toHaveProperty('image');
    expect(parseSpec(minimal('  langfuse: { version: 3 }')).spec.datastores.clickhouse).toMatchObject({ image: 'clickhouse/clickhouse-server:25.8.29.51' });
  });

  it('a file that is only a comment is empty', () => {
    expect(() => parseSpec('# nothing yet\n', 'e.yaml')).toThrow(
      'e.yaml is not a valid TraceLab spec (1 problem):\n  e.yaml:1: the file is empty; start from the default tracelab.yaml',
    );
    expect(() => parseSpec('')).toThrow(/^<spec> is not a valid TraceLab spec/);
  });
});
