// The analysed results of a run (results.json): data only — what the report renders in words
// and plots, and what `tracelab report a b` compares.
import type { AppIdentity, MachineInfo, RunRecord } from '../load/record.ts';
import type { Fault, FaultKind, TopologyKind } from '../../contracts/spec/schema.ts';
import type { IntervalMethod } from './intervals.ts';

export const QUANTILES = { p50: 0.5, p90: 0.9, p95: 0.95, p99: 0.99, p999: 0.999 } as const;
export type QuantileName = keyof typeof QUANTILES;
export const OVERHEAD_QUANTILES: readonly QuantileName[] = ['p50', 'p95', 'p99', 'p999'];

/** How a difference compares with zero: only an interval that excludes zero resolves it. */
export type Resolution = 'higher' | 'lower' | 'not-resolved' | 'no-interval';

export interface Overhead {
  /** traced − baseline at this percentile, ms (pooled over rounds). */
  readonly ms: number;
  /** Interval bounds; absent when the run cannot give one (too few rounds or samples). */
  readonly ciLowMs?: number;
  readonly ciHighMs?: number;
  readonly halfWidthMs?: number;
  readonly resolution: Resolution;
  /** ms / baseline's percentile */
  readonly relative: number;
}

/** Δp99 of one traced topology against another, paired by round. */
export interface PairComparison {
  readonly a: string;
  readonly b: string;
  /** p99(a) − p99(b), ms */
  readonly ms: number;
  readonly ciLowMs?: number;
  readonly ciHighMs?: number;
  readonly resolution: Resolution;
}

/** What overlapped the slow requests (above the baseline's p99), request by request. */
export interface TailAttribution {
  /** The baseline's pooled p99, ms: a request above it is slow. */
  readonly thresholdMs: number;
  readonly requests: number;
  readonly slow: number;
  /** Share of slow requests overlapping each kind of event (a request may overlap several). */
  readonly overlapSlow: Record<AttributionCause, number>;
  /** The same shares among all requests: the base rate the slow ones are compared with. */
  readonly overlapAll: Record<AttributionCause, number>;
  /** Each slow request counted once, by the first cause in ATTRIBUTION_CAUSES it overlapped. */
  readonly primary: Record<AttributionCause | 'nothing', number>;
  /** Slots whose app timeline was missing or dropped events. */
  readonly incompleteSlots: number;
}

export const ATTRIBUTION_CAUSES = ['export', 'majorGc', 'flush', 'minorGc', 'stall'] as const;
export type AttributionCause = (typeof ATTRIBUTION_CAUSES)[number];

/** One typical round of a topology, for the timeline plot: times in s from its start. */
export interface TimelineSeries {
  readonly round: number;
  /** [s, latency ms] of every successful request. */
  readonly requests: Array<[number, number]>;
  /** [s, ms the export held the event loop] */
  readonly exports: Array<[number, number]>;
  /** [s, pause ms] */
  readonly majorGc: Array<[number, number]>;
  readonly stalls: Array<[number, number]>;
}

export interface TopologyResult {
  readonly name: string;
  readonly kind: TopologyKind;
  /** The baseline its overhead is measured against (the one of its own runtime). */
  readonly baseline: string;
  /** Runtime and SDK versions the app reported (absent in runs recorded before it was). */
  readonly servedBy?: AppIdentity;
  readonly description: string;
  readonly requests: number;
  readonly failed: number;
  readonly errorRate: number;
  readonly droppedIterations: number;
  readonly throughputRps: number;
  /** Successful requests only. */
  /** Successful requests only; over1s: how many took more than a second (the field report's spikes). */
  readonly latencyMs: Record<QuantileName, number> & { mean: number; max: number; count: number; over1s: number };
  /** Per round p50/p99, to see drift between rounds. */
  readonly rounds: Array<{ round: number; p50: number; p99: number; requests: number }>;
  /** Absent for a baseline. */
  readonly overhead?: Record<QuantileName, Overhead>;
  /** Quantile → latency, for the percentile plot. */
  readonly curve: Array<[quantile: number, ms: number]>;
  readonly app: {
    cpuMsPerRequest: number;
    eventLoopP99Ms: number;
    eventLoopMaxMs: number;
    exportCalls: number;
    exportMsPerCall: number;
    exportOnLoopMsMax: number;
    exportOnLoopMsMean: number;
    rssMiB: number;
    /** Python only: CPU of the SDK's export thread per request, from the thread's own clock. */
    exportThreadCpuMsPerRequest?: number;
    /** Python only: GIL contention (0..1), mean over slots. */
    gilContention?: number;
  };
  /**
   * lost = ended − delivered, where delivered counts spans of this topology's slots at the end
   * of the run. Negative means more arrived than were ended: a counting error, shown as is.
   */
  readonly spans: { ended: number; delivered: number; lost: number; lossRatio: number; droppedInQueue: number; exportFailed: number; perRequest: number };
  /** Span end → arrival at the backend, percentiles over every slot's spans pooled. */
  readonly exportLagMs: { p50: number; p99: number; max: number; count: number };
  readonly collector?: { accepted: number; sent: number; sendFailed: number; enqueueFailed: number; queueSizeAtEnd: number };
  /** Per core: mean and largest busy share, and the largest foreign share, over this topology's slots. */
  readonly cores: Record<string, { busy: number; busyMax: number; foreignMax: number }>;
  /** Slots re-run because other programs loaded the machine; slots kept although they were. */
  readonly rerunSlots: number;
  readonly flaggedSlots: number;
  /** Largest |ours − k6's| over slots and p50…p99.9, ms; NaN when a slot has no k6 summary. */
  readonly k6CrossCheckMs: number;
  readonly attribution?: TailAttribution;
  readonly timeline?: TimelineSeries;
  /** Fault runs only (infra/analysis/faults.ts). */
  readonly faults?: FaultTopologyResult;
}

/** Where spans that never reached the backend went (sums over a topology's slots). */
export interface LossCauses {
  /** Dropped by the SDK's batch processor: its queue was full. */
  readonly sdkQueueDropped: number;
  /** In export calls the app's exporter gave up on (to the backend, or to an unreachable collector). */
  readonly exportFailed: number;
  /** Refused by the collector: its sending queue was full (otelcol_exporter_enqueue_failed_spans). */
  readonly collectorRefused: number;
  /** The collector gave up sending: retries exhausted or a non-retryable answer (otelcol_exporter_send_failed_spans). */
  readonly collectorSendFailed: number;
  /** The rest, in slots where a collector was killed or the app restarted: held in memory and lost with it. */
  readonly lostInCrash: number;
  /** The rest where nothing was killed; negative means more arrived than the counters account for. */
  readonly unexplained: number;
}

/** One fault in one slot, in seconds from the start of the measured phase. */
export interface FaultWindow {
  readonly kind: FaultKind;
  readonly applied: boolean;
  readonly target?: string;
  readonly note?: string;
  readonly startS?: number;
  readonly endS?: number;
}

export interface FaultTopologyResult {
  readonly slots: number;
  /** False when no fault had anything to hit in this topology. */
  readonly applied: boolean;
  readonly ended: number;
  readonly delivered: number;
  /** Spans that arrived more than once (counted once in delivered). */
  readonly duplicates: number;
  readonly lost: number;
  readonly causes: LossCauses;
  /** Requests that started during a fault vs the others (successful ones for the p99). */
  readonly latency: {
    readonly p99DuringMs: number;
    readonly p99OutsideMs: number;
    readonly requestsDuring: number;
    readonly failedDuring: number;
    readonly requestsOutside: number;
    readonly failedOutside: number;
  };
  /** The slot whose app grew most: RSS at the start of the measured phase, its peak, the growth. */
  readonly rss: { readonly startMiB: number; readonly maxMiB: number; readonly growthMiB: number };
  /** Worst over the slots: seconds from the last fault's end until the backlog was back to normal; null: not before the drain ended. */
  readonly recoverySeconds: number | null;
  readonly drainReasons: string[];
  /** The first slot over time, seconds from its measured start. */
  readonly timeline: {
    readonly round: number;
    readonly endS: number;
    readonly measuredS: number;
    readonly windows: FaultWindow[];
    readonly p99PerSecond: Array<[number, number]>;
    readonly deliveredPerSecond: Array<[number, number]>;
    /** null: no reading (the collector or the app was down). */
    readonly queueSize: Array<[number, number | null]>;
    readonly rssMiB: Array<[number, number | null]>;
  };
}

export interface PrecisionResult {
  readonly targetMs: number;
  readonly budgetMs: number;
  readonly stopped: string;
  readonly roundsUsed: number;
  readonly elapsedMs: number;
  /** Per traced topology: half-width reached and the rounds the target would have needed. */
  readonly topologies: Array<{ name: string; halfWidthMs: number | null; roundsNeeded?: number; minutesNeeded?: number }>;
}

/** Something the reader must know to judge the figures; the report words it. */
export type Caveat =
  | { kind: 'test-double-backend'; mode?: 'count' | 'queue' }
  | { kind: 'langfuse-backend'; version?: string; url?: string; note?: string }
  | { kind: 'single-machine' }
  | { kind: 'few-cpus'; cpus: number }
  | { kind: 'core-saturated'; topologies: string[] }
  | { kind: 'foreign-load'; slots: string[]; maxForeign: number }
  | { kind: 'quick' }
  | { kind: 'interrupted'; signal: string; round: number }
  | { kind: 'no-interval'; topologies: string[]; percentile: QuantileName; needed: number }
  | { kind: 'dropped-iterations'; topologies: string[] }
  | { kind: 'failed-requests'; topologies: string[] }
  | { kind: 'k6-summary-missing'; slots: string[] }
  | { kind: 'counting-error'; topologies: string[] }
  | { kind: 'spans-lost'; topologies: string[] };

export interface Results extends Pick<RunRecord, 'runId' | 'startedAt' | 'finishedAt' | 'target' | 'backend' | 'backendInfo' | 'sinkMode' | 'quick'> {
  /** Longest drain of any slot (Langfuse: time until every span of the slot was queryable). */
  readonly drainMaxMs?: number;
  /** The run's faults as the spec gave them (every slot got the same); empty for a healthy run. */
  readonly faults?: Fault[];
  readonly specName: string;
  readonly load: { scenario: string; rate: number; duration: string; warmup: string; rounds: number; roundsRun: number; vus?: number; thinkTime?: string };
  readonly workload: Record<string, number | string>;
  readonly machine: MachineInfo;
  readonly pinning: Record<string, string>;
  readonly tools: Record<string, { version: string; source: string }>;
  readonly interval: { method: IntervalMethod; confidence: number };
  readonly orders: string[][];
  readonly interrupted?: { signal: string; round: number };
  readonly baseline: string;
  readonly topologies: TopologyResult[];
  /** Every pair of traced topologies at p99. */
  readonly pairs: PairComparison[];
  readonly precision?: PrecisionResult;
  readonly caveats: Caveat[];
}
