// Rules that span several fields. Each issue names the field to change and how.
import type { z } from 'zod';
import type { TraceLabDocument } from './schema.ts';
import { LANGFUSE_RELEASES, imageMajorMinor, versionAtLeast } from './langfuse-versions.ts';
import { runtimeRules } from './runtime-rules.ts';

export function crossFieldRules(doc: TraceLabDocument, ctx: z.RefinementCtx): void {
  const { spec } = doc;
  const issue = (path: (string | number)[], message: string, input?: unknown) => ctx.addIssue({ code: 'custom', path: ['spec', ...path], message, input });

  const seen = new Map<string, number>();
  spec.topologies.forEach((t, i) => {
    const name = t.name;
    const first = seen.get(name);
    if (first !== undefined) {
      issue(['topologies', i, 'name'], `duplicates spec.topologies[${first}]; give each entry a unique name, e.g. "${name}-2"`, name);
    } else seen.set(name, i);
    if (t.sdk.batchSize > t.sdk.queueSize) {
      issue(['topologies', i, 'sdk', 'batchSize'], `must not exceed sdk.queueSize (${t.sdk.queueSize}): a batch is taken from the queue`, t.sdk.batchSize);
    }
    if (t.topology === 'agent' && !spec.collector.agent.enabled) {
      issue(['topologies', i, 'topology'], 'needs the node agent: set spec.collector.agent.enabled to true, or drop this topology', t.topology);
    }
  });
  if (!spec.topologies.some((t) => t.topology === 'baseline')) {
    issue(['topologies'], 'needs a "baseline" entry (tracing off): overhead is measured against it. Add `- topology: baseline`');
  } else runtimeRules(doc, issue);

  const w = spec.app.workload;
  if (w.nestingDepth === 1 && w.spansPerRequest > 1) {
    issue(['app', 'workload', 'nestingDepth'], 'must be at least 2 when spansPerRequest > 1: every span but the root has a parent', w.nestingDepth);
  }
  if (w.nestingDepth > w.spansPerRequest) {
    issue(['app', 'workload', 'nestingDepth'], `must not exceed spansPerRequest (${w.spansPerRequest}): a chain of depth N needs N spans`, w.nestingDepth);
  }

  const ch = spec.datastores.clickhouse;
  if (ch.mode === 'in-cluster' && ch.image) {
    const minimum = LANGFUSE_RELEASES[spec.langfuse.version].clickhouseMinimum;
    const version = imageMajorMinor(ch.image);
    if (version && !versionAtLeast(version, minimum)) {
      issue(
        ['datastores', 'clickhouse', 'image'],
        `Langfuse ${spec.langfuse.version} needs ClickHouse >= ${minimum}; use e.g. "${LANGFUSE_RELEASES[spec.langfuse.version].clickhouseImage}"`,
        ch.image,
      );
    }
  }

  const { batch, memoryLimiter } = spec.collector;
  if (batch.sendBatchMaxSize !== 0 && batch.sendBatchMaxSize < batch.sendBatchSize) {
    issue(['collector', 'batch', 'sendBatchMaxSize'], `must be 0 (no bound) or >= sendBatchSize (${batch.sendBatchSize})`, batch.sendBatchMaxSize);
  }
  if (memoryLimiter.spikeLimitPercentage >= memoryLimiter.limitPercentage) {
    issue(
      ['collector', 'memoryLimiter', 'spikeLimitPercentage'],
      `must be below limitPercentage (${memoryLimiter.limitPercentage})`,
      memoryLimiter.spikeLimitPercentage,
    );
  }
  if (spec.capacity.maxRate < spec.capacity.startRate) {
    issue(['capacity', 'maxRate'], `must be >= capacity.startRate (${spec.capacity.startRate})`, spec.capacity.maxRate);
  }
  if (spec.capacity.gateway.maxRate < spec.capacity.gateway.startRate) {
    issue(['capacity', 'gateway', 'maxRate'], `must be >= capacity.gateway.startRate (${spec.capacity.gateway.startRate})`, spec.capacity.gateway.maxRate);
  }
  if (spec.load.maxVUs < spec.load.preAllocatedVUs) {
    issue(['load', 'maxVUs'], `must be >= preAllocatedVUs (${spec.load.preAllocatedVUs})`, spec.load.maxVUs);
  }
}
