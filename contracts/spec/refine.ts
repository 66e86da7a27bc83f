// Rules that span several fields. Each issue names the field to change and how.
import type { z } from 'zod';
import { durationMs } from '../duration.ts';
import { BACKEND_FAULTS } from './faults.ts';
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
    if (t.collector && !['collector', 'sidecar', 'agent'].includes(t.topology)) {
      issue(
        ['topologies', i, 'collector'],
        `only a topology that exports through a collector (collector, sidecar, agent) can have collector settings; drop it from this ${t.topology} entry`,
      );
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
  faultRules(spec, issue);
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

/** Every fault inside the measured phase; backend faults one at a time (the backend has one setting). */
function faultRules(spec: TraceLabDocument['spec'], issue: (path: (string | number)[], message: string, input?: unknown) => void): void {
  // These rules also run when a field failed its own format check (that issue is reported
  // already): a duration that does not parse is skipped here, never thrown on.
  const ms = (value: string) => {
    try {
      return durationMs(value);
    } catch {
      return undefined;
    }
  };
  const measured = ms(spec.load.duration);
  const windows: Array<{ i: number; from: number; to: number }> = [];
  spec.faults.forEach((f, i) => {
    const [at, length] = [ms(f.at), ms(f.duration)];
    if (measured === undefined || at === undefined || length === undefined) return;
    const from = at;
    const to = from + length;
    if (to > measured)
      issue(
        ['faults', i, 'duration'],
        `the fault must end within the measured phase: at (${f.at}) + duration (${f.duration}) exceeds load.duration (${spec.load.duration}); lengthen load.duration or start it earlier`,
        f.duration,
      );
    if (f.kind !== 'app-restart' && to === from) issue(['faults', i, 'duration'], 'must be longer than 0s', f.duration);
    if (!BACKEND_FAULTS.includes(f.kind)) return;
    const clash = windows.find((w) => from < w.to && w.from < to);
    if (clash)
      issue(['faults', i, 'at'], `overlaps spec.faults[${clash.i}]: the backend has one fault setting at a time; let one end before the next starts`, f.at);
    windows.push({ i, from, to });
  });
}
