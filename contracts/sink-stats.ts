// What ingest-sink answers on GET /stats, and what the lab reads from it: counts per
// (service, topology, run) group. The sink writes this shape; the local target reads it.

/**
 * A log-bucketed histogram: bucket i holds values up to minMs × factor^i (bucket 0: up to
 * minMs). Sparse: only non-empty buckets, as [index, count]. Histograms of several slots
 * merge by adding counts, so percentiles can be taken over the pooled values.
 */
export interface LagHistogramData {
  readonly minMs: number;
  readonly factor: number;
  readonly buckets: Array<[index: number, count: number]>;
}

export interface LagSummary {
  readonly histogram: LagHistogramData;
  readonly count: number;
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

export interface SinkGroup {
  readonly service: string;
  readonly topology: string;
  /** The run label the sink had when the spans arrived (set by POST /admin/run; the lab sets one per topology per round). */
  readonly run: string;
  /** OTLP requests that carried spans of this group. */
  readonly requests: number;
  /** Distinct spans (trace id + span id), as Langfuse keeps one observation per id. */
  readonly spans: number;
  /** Arrivals of spans already counted (re-sent by an exporter or a replayed queue). */
  readonly duplicates: number;
  readonly traces: number;
  readonly rootSpans: number;
  readonly generations: number;
  readonly bytes: number;
  /** Span end → arrival at the sink. */
  readonly lag: LagSummary;
}

export interface SinkStats {
  readonly backend: 'ingest-sink';
  readonly run: string;
  readonly totals: { spans: number; traces: number; rootSpans: number; generations: number };
  readonly groups: SinkGroup[];
  /** HTTP status → requests answered with it. */
  readonly rejected: Record<string, number>;
}

/** Adds histograms of the same bucketing (as the sink writes them). */
export function mergeLagHistograms(list: readonly LagHistogramData[], minMs = 0.1, factor = 1.05): LagHistogramData {
  const counts = new Map<number, number>();
  for (const h of list) {
    if (h.minMs !== minMs || h.factor !== factor) throw new Error(`lag histograms differ in bucketing (${h.minMs}/${h.factor} vs ${minMs}/${factor})`);
    for (const [i, n] of h.buckets) counts.set(i, (counts.get(i) ?? 0) + n);
  }
  return { minMs, factor, buckets: [...counts.entries()].sort((a, b) => a[0] - b[0]) };
}

/** Upper bound of the bucket holding the q-quantile (0..1); 0 for an empty histogram. */
export function lagQuantile(h: LagHistogramData, q: number): number {
  const total = h.buckets.reduce((n, [, c]) => n + c, 0);
  if (total === 0) return 0;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (const [i, n] of h.buckets) {
    seen += n;
    if (seen >= rank) return h.minMs * h.factor ** i;
  }
  return h.minMs * h.factor ** (h.buckets.at(-1)?.[0] ?? 0);
}

/** A histogram holding `count` values, all equal to `ms` (a backend that reports one lag per slot). */
export function singleValueLag(ms: number, count: number, minMs = 0.1, factor = 1.05): LagHistogramData {
  const index = ms <= minMs ? 0 : Math.ceil(Math.log(ms / minMs) / Math.log(factor));
  return { minMs, factor, buckets: count > 0 ? [[index, count]] : [] };
}
