// What ingest-sink answers on GET /stats, and what the lab reads from it: counts per
// (service, topology, run) group. The sink writes this shape; the local target reads it.

export interface LagSummary {
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
  readonly spans: number;
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
