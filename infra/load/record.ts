// The raw record of a run: what the load and target stages measured, before any analysis.
// Written to results/<run-id>/raw/record.json; the analysis reads only this and the samples.
import type { LagHistogramData } from '../../contracts/sink-stats.ts';
import type { FaultKind, TopologyKind, TraceLab } from '../../contracts/spec/schema.ts';
import type { SweepRecord } from './sweep-record.ts';

export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
}

export interface K6Outcome {
  /** Compact per-request samples of the measured phase: results/<id>/<samplesFile>. */
  readonly samplesFile: string;
  readonly requests: number;
  readonly failed: number;
  readonly droppedIterations: number;
  /** Seconds of the measured phase. */
  readonly measuredSeconds: number;
  /** k6's own percentiles of the measured phase (ms), kept to cross-check the analysis. */
  readonly k6Summary?: LatencySummary;
}

export interface AppCounters {
  readonly requests: number;
  readonly cpuSeconds: number;
  readonly spansStarted: number;
  readonly spansEnded: number;
  readonly spansExported: number;
  readonly spansExportFailed: number;
  readonly spansDropped: number;
  readonly exportCalls: number;
  readonly exportSeconds: number;
  readonly eventLoopP99Ms: number;
  readonly eventLoopMaxMs: number;
  readonly rssBytes: number;
  // Python app only (absent for node):
  /** CPU seconds of the SDK's export thread(s), from their own CPU clocks. */
  readonly exportThreadCpuSeconds?: number;
  /** CPU seconds of export calls on the exporting thread (flushes on the loop included). */
  readonly exportCpuSeconds?: number;
  /** GIL contention over the window (0..1), a gauge. */
  readonly gilContention?: number;
}

/** Which app served a topology, as its /healthz reported it. */
export interface AppIdentity {
  /** e.g. "python 3.11.7 (asyncio)", "node v24.21.0" */
  readonly runtime: string;
  /** e.g. "langfuse 3.15.0", "@langfuse/otel 5.11.1 (NodeSDK)", "none" */
  readonly sdk: string;
}

export interface CollectorCounters {
  readonly role: string;
  readonly acceptedSpans: number;
  readonly sentSpans: number;
  readonly sendFailedSpans: number;
  readonly enqueueFailedSpans: number;
  readonly queueSize: number;
  /** CPU seconds of the collector process over the slot, from /proc (absent where it cannot be read). */
  readonly cpuSeconds?: number;
}

export interface BackendCounters {
  /** Distinct spans of the slot (a span re-sent counts once, as Langfuse keeps one observation per id). */
  readonly spans: number;
  /** Arrivals of spans already counted; absent in records from before tracelab counted them. */
  readonly duplicates?: number;
  readonly traces: number;
  readonly rootSpans: number;
  readonly generations: number;
  /** Span end → arrival, merged over the slot's groups (percentiles pool across slots). */
  readonly lag: LagHistogramData & { readonly maxMs: number };
  /** How long the drain waited after the app's flush (Langfuse: time until every span was queryable). */
  readonly drainMs?: number;
}

/** Foreign load on each core during a slot (infra/local/interference.ts). */
export interface SlotInterference {
  readonly seconds: number;
  readonly cores: Record<string, { busy: number; lab: number; foreign: number; steal: number }>;
  readonly maxForeign: number;
}

export interface SlotRecord {
  /** "<topology>-r<round>": the slot label spans carry (tracelab.slot) and files are named by. */
  readonly label: string;
  readonly topology: string;
  readonly kind: TopologyKind;
  readonly round: number;
  /** 1-based place of this slot in its round's (rotated) order. */
  readonly position: number;
  readonly startedAt: string;
  /** 1 + the times it was re-run because other programs loaded the machine. */
  readonly attempts: number;
  /** Attempts thrown away, with the foreign load that disqualified each. */
  readonly discarded: ReadonlyArray<{ readonly maxForeign: number }>;
  readonly load: K6Outcome;
  /** Deltas over the slot (warm-up + measured phase + drain). */
  readonly app: AppCounters;
  readonly collector?: CollectorCounters;
  /** Spans of this slot the backend had when the slot's drain ended. */
  readonly backend: BackendCounters;
  /** Spans of this slot the backend had at the end of the run (late arrivals included). */
  readonly backendFinal?: BackendCounters;
  /** Foreign load on each core during the kept attempt (absent where it cannot be read). */
  readonly interference?: SlotInterference;
  /** The app's own timeline of the measured phase (contracts/app-timeline.ts), relative to the run dir. */
  readonly timelineFile?: string;
  /** The app that served the slot, as its /healthz reported it. */
  readonly servedBy?: AppIdentity;
  /** Fault runs (spec.faults): what was done when, and the slot sampled over time. */
  readonly faultRun?: FaultRunRecord;
}

/** One fault as it was applied in one slot. Times are epoch ms. */
export interface FaultRecord {
  readonly kind: FaultKind;
  readonly at: string;
  readonly duration: string;
  /** False where the fault has nothing to hit (a collector crash in a topology without a collector). */
  readonly applied: boolean;
  /** What was hit: "backend", the collector's role, "app". */
  readonly target?: string;
  readonly note?: string;
  /** When it took effect and when the component was healthy again (restarted and ready). */
  readonly startedMs?: number;
  readonly endedMs?: number;
  /** collector-crash: the killed collector's counters read just before the SIGKILL. */
  readonly atKill?: CollectorCounters;
}

/** Readings taken every SAMPLE_MS during a fault slot (null where a reading failed, e.g. the app was down). */
export interface SlotSeries {
  /** Epoch ms of each reading. */
  readonly t: number[];
  readonly appRssBytes: Array<number | null>;
  /** The app's spans-ended counter (it starts again from 0 when the app is restarted). */
  readonly appSpansEnded: Array<number | null>;
  /** Spans of this slot the backend held. */
  readonly backendSpans: Array<number | null>;
  /** otelcol_exporter_queue_size of the slot's collector (batches or requests, as the collector counts). */
  readonly collectorQueueSize: Array<number | null>;
}

export interface FaultRunRecord {
  /** Epoch ms the measured phase started (the faults' `at` counts from here). */
  readonly measuredStartMs: number;
  readonly faults: FaultRecord[];
  readonly series: SlotSeries;
  /** How the drain after the load ended: everything arrived, arrivals stopped, or its time limit. */
  readonly drain: { readonly endedMs: number; readonly reason: 'complete' | 'quiet' | 'time-limit' | 'interrupted' };
}

/** How the precision loop went (load.precision). */
export interface PrecisionRecord {
  /** Target half-width of every traced topology's Δp99 interval, ms. */
  readonly targetMs: number;
  readonly budgetMs: number;
  readonly stopped: 'reached' | 'budget' | 'max-rounds' | 'interrupted';
  /** Half-width reached after each round (from the third on), per traced topology. */
  readonly history: ReadonlyArray<{ readonly round: number; readonly elapsedMs: number; readonly halfWidthMs: Record<string, number | null> }>;
}

export interface MachineInfo {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
}

export interface RunRecord {
  readonly runId: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly target: 'local' | 'cluster';
  readonly backend: 'ingest-sink' | 'langfuse';
  /** Where the backend ran and, for Langfuse, the version its /api/public/health reported. */
  readonly backendInfo?: { readonly url: string; readonly version?: string; readonly note?: string };
  /** ingest-sink's mode: count (answers after decoding) or queue (Langfuse's auth → S3 → Redis work first). */
  readonly sinkMode?: 'count' | 'queue';
  readonly quick: boolean;
  readonly doc: TraceLab;
  readonly machine: MachineInfo;
  /** Which processes ran on which CPUs. */
  readonly pinning: Record<string, string>;
  readonly tools: Record<string, { path: string; source: string; version: string }>;
  /** Seed of the order rotation (the run id). */
  readonly seed: string;
  /** Each round's topology order as run. */
  readonly orders: string[][];
  /** Topology name → the app that served it (runtime and SDK versions). */
  readonly apps?: Record<string, AppIdentity>;
  readonly slots: SlotRecord[];
  /** Set when Ctrl-C or SIGTERM stopped the run: what it measured until then is kept. */
  readonly interrupted?: { readonly signal: string; readonly duringRound: number };
  readonly precision?: PrecisionRecord;
  /** A sweep: its knobs and every variant's values and baseline (tracelab sweep). */
  readonly sweep?: SweepRecord;
}
