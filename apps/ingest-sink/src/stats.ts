// What arrived, per service / topology / run: spans, traces, roots, generations, bytes, and
// the lag from span end to arrival as a log-bucketed histogram (quantiles at most 5% high).
import { SLOT_ATTRIBUTE } from '../../../contracts/app-metrics.ts';
import type { LagSummary, SinkGroup, SinkStats } from '../../../contracts/sink-stats.ts';
import type { SinkSpan } from './otlp-decode.ts';

const LAG_MIN_MS = 0.1;
const LAG_FACTOR = 1.05;
/** Bucket i holds lags up to LAG_MIN_MS × LAG_FACTOR^i: 0.1 ms … ~63 min; the last also holds anything longer. */
const LAG_BUCKETS = 406;
const upperBound = (i: number) => LAG_MIN_MS * LAG_FACTOR ** i;

export class LagHistogram {
  readonly counts = new Array<number>(LAG_BUCKETS).fill(0);
  count = 0;
  max = 0;
  sum = 0;

  record(ms: number): void {
    const v = Math.max(ms, 0);
    let i = v <= LAG_MIN_MS ? 0 : Math.ceil(Math.log(v / LAG_MIN_MS) / Math.log(LAG_FACTOR));
    // The logarithm can land a hair below a bucket edge; a value never sits above its bucket's bound.
    if (upperBound(i) < v) i++;
    this.counts[Math.min(LAG_BUCKETS - 1, i)]++;
    this.count++;
    this.sum += v;
    if (v > this.max) this.max = v;
  }

  /** Upper bound of the bucket holding the q-quantile (0..1), never above the largest lag seen. */
  quantile(q: number): number {
    if (this.count === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < LAG_BUCKETS - 1; i++) {
      seen += this.counts[i];
      if (seen >= rank) return Math.min(upperBound(i), this.max);
    }
    return this.max; // the overflow bucket has no upper bound of its own
  }

  summary(): LagSummary {
    const buckets: Array<[number, number]> = [];
    this.counts.forEach((n, i) => {
      if (n > 0) buckets.push([i, n]);
    });
    return {
      histogram: { minMs: LAG_MIN_MS, factor: LAG_FACTOR, buckets },
      count: this.count,
      meanMs: this.count ? this.sum / this.count : 0,
      p50Ms: this.quantile(0.5),
      p95Ms: this.quantile(0.95),
      p99Ms: this.quantile(0.99),
      maxMs: this.max,
    };
  }
}

export interface GroupKey {
  readonly service: string;
  readonly topology: string;
  readonly run: string;
}

class Group {
  readonly key: GroupKey;
  spans = 0;
  /** Arrivals of a span already counted: an exporter re-sent it (a retry after a timeout, a persistent queue replayed after a crash). */
  duplicates = 0;
  rootSpans = 0;
  generations = 0;
  bytes = 0;
  requests = 0;
  readonly traces = new Set<string>();
  /** trace id + span id of every span counted: Langfuse keeps one observation per id. */
  readonly ids = new Set<string>();
  readonly lag = new LagHistogram();
  constructor(key: GroupKey) {
    this.key = key;
  }
  toJSON(): SinkGroup {
    return {
      ...this.key,
      requests: this.requests,
      spans: this.spans,
      duplicates: this.duplicates,
      traces: this.traces.size,
      rootSpans: this.rootSpans,
      generations: this.generations,
      bytes: this.bytes,
      lag: this.lag.summary(),
    };
  }
}

export class IngestStats {
  private readonly groups = new Map<string, Group>();
  private readonly rejected = new Map<number, number>();
  run = 'default';
  /** Kept for inspection (tests, debugging) when keepSpans > 0; oldest dropped first. */
  readonly kept: SinkSpan[] = [];
  private readonly keepSpans: number;

  constructor(keepSpans = 0) {
    this.keepSpans = keepSpans;
  }

  record(spans: readonly SinkSpan[], bytes: number, arrivedMs = Date.now()): void {
    const touched = new Set<Group>();
    for (const span of spans) {
      const key: GroupKey = {
        service: String(span.resource['service.name'] ?? 'unknown'),
        topology: String(span.resource['tracelab.topology'] ?? 'unknown'),
        // A span counts in the slot of the request that made it, whenever it arrives.
        run: String(span.attributes[SLOT_ATTRIBUTE] ?? this.run),
      };
      const id = `${key.service}\u0000${key.topology}\u0000${key.run}`;
      let group = this.groups.get(id);
      if (!group) {
        group = new Group(key);
        this.groups.set(id, group);
      }
      touched.add(group);
      const spanKey = `${span.traceId}\u0000${span.spanId}`;
      if (group.ids.has(spanKey)) {
        group.duplicates++;
        continue;
      }
      group.ids.add(spanKey);
      group.spans++;
      group.traces.add(span.traceId);
      if (!span.parentSpanId) group.rootSpans++;
      if (span.attributes['langfuse.observation.type'] === 'generation') group.generations++;
      // A span without a readable end time is counted, without a lag.
      if (Number.isFinite(span.endTimeMs)) group.lag.record(arrivedMs - span.endTimeMs);
    }
    // A batch's bytes are split evenly over the groups it touched.
    for (const group of touched) {
      group.bytes += bytes / touched.size;
      group.requests++;
    }
    if (this.keepSpans > 0) {
      // Not push(...spans): a batch of a few hundred thousand spans overflows the stack.
      for (const span of spans.slice(-this.keepSpans)) this.kept.push(span);
      if (this.kept.length > this.keepSpans) this.kept.splice(0, this.kept.length - this.keepSpans);
    }
  }

  reject(status: number): void {
    this.rejected.set(status, (this.rejected.get(status) ?? 0) + 1);
  }

  reset(): void {
    this.groups.clear();
    this.rejected.clear();
    this.kept.length = 0;
  }

  /** Everything, or only the groups of one run (what a lab polls during a slot). */
  toJSON(run?: string): SinkStats {
    const groups = [...this.groups.values()].filter((g) => run === undefined || g.key.run === run).map((g) => g.toJSON());
    const totals = groups.reduce(
      (t, g) => ({ spans: t.spans + g.spans, traces: t.traces + g.traces, rootSpans: t.rootSpans + g.rootSpans, generations: t.generations + g.generations }),
      { spans: 0, traces: 0, rootSpans: 0, generations: 0 },
    );
    return { backend: 'ingest-sink', run: this.run, totals, groups, rejected: Object.fromEntries(this.rejected) };
  }
}
