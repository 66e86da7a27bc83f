// The analysed results of a run (results.json): what the report renders and compares.
import type { AppIdentity, MachineInfo, RunRecord } from '../load/record.ts';
import type { TopologyKind } from '../../contracts/spec/schema.ts';

export const QUANTILES = { p50: 0.5, p90: 0.9, p95: 0.95, p99: 0.99, p999: 0.999 } as const;
export type QuantileName = keyof typeof QUANTILES;
export const OVERHEAD_QUANTILES: readonly QuantileName[] = ['p50', 'p95', 'p99', 'p999'];

export interface Overhead {
  /** traced − baseline, ms */
  readonly ms: number;
  readonly ciLowMs: number;
  readonly ciHighMs: number;
  /** ms / baseline's quantile */
  readonly relative: number;
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
  readonly droppedIterations: number;
  readonly throughputRps: number;
  readonly latencyMs: Record<QuantileName, number> & { mean: number; max: number; count: number };
  /** Per round p50/p99, to see drift between rounds. */
  readonly rounds: Array<{ round: number; p50: number; p99: number; requests: number }>;
  /** Absent for baseline. */
  readonly overhead?: Record<string, Overhead>;
  /** Quantile → latency, for the percentile plot. */
  readonly curve: Array<[quantile: number, ms: number]>;
  readonly app: {
    cpuMsPerRequest: number;
    eventLoopP99Ms: number;
    eventLoopMaxMs: number;
    exportCalls: number;
    exportMsPerCall: number;
    rssMiB: number;
    /** Python only: CPU of the SDK's export thread per request, from the thread's own clock. */
    exportThreadCpuMsPerRequest?: number;
    /** Python only: GIL contention (0..1), mean over slots. */
    gilContention?: number;
  };
  readonly spans: { ended: number; delivered: number; lost: number; lossRatio: number; droppedInQueue: number; exportFailed: number; perRequest: number };
  readonly exportLagMs: { p50: number; p99: number; max: number };
  readonly collector?: { accepted: number; sent: number; sendFailed: number; enqueueFailed: number; queueSizeAtEnd: number };
  /** Mean busy share of each CPU over this topology's slots (contention). */
  readonly cpuBusy: Record<string, number>;
  /** Largest |ours − k6's| over slots and p50…p99.9, ms. */
  readonly k6CrossCheckMs: number;
}

export interface Results extends Pick<RunRecord, 'runId' | 'startedAt' | 'finishedAt' | 'target' | 'backend' | 'quick'> {
  readonly specName: string;
  readonly load: { scenario: string; rate: number; duration: string; warmup: string; rounds: number; vus?: number; thinkTime?: string };
  readonly workload: Record<string, number | string>;
  readonly machine: MachineInfo;
  readonly pinning: Record<string, string>;
  readonly tools: Record<string, { version: string; source: string }>;
  readonly baseline: string;
  readonly topologies: TopologyResult[];
  readonly caveats: string[];
}
