// The raw record of a run: what the load and target stages measured, before any analysis.
// Written to results/<run-id>/raw/record.json; the analysis reads only this and the samples.
import type { TopologyKind, TraceLab } from '../../contracts/spec/schema.ts';

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
}

export interface BackendCounters {
  readonly spans: number;
  readonly traces: number;
  readonly rootSpans: number;
  readonly generations: number;
  readonly lagP50Ms: number;
  readonly lagP99Ms: number;
  readonly lagMaxMs: number;
}

export interface SlotRecord {
  readonly topology: string;
  readonly kind: TopologyKind;
  readonly round: number;
  readonly startedAt: string;
  readonly load: K6Outcome;
  /** Deltas over the slot (warm-up + measured phase + drain). */
  readonly app: AppCounters;
  readonly collector?: CollectorCounters;
  readonly backend: BackendCounters;
  /** Busy share of each CPU over the slot ("cpu0" → 0.83): how contended each core was. */
  readonly cpuBusy?: Record<string, number>;
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
  readonly quick: boolean;
  readonly doc: TraceLab;
  readonly machine: MachineInfo;
  /** Which processes ran on which CPUs. */
  readonly pinning: Record<string, string>;
  readonly tools: Record<string, { path: string; source: string; version: string }>;
  /** Topology name → the app that served it (runtime and SDK versions). */
  readonly apps?: Record<string, AppIdentity>;
  readonly slots: SlotRecord[];
}
