// The raw record of a capacity run (raw/capacity.json): every step of every topology's
// search — the offered rate and the slot that ran it, as the lab records any slot — the
// gateway driven directly with OTLP, and the harness's measured headroom. The analysis
// (infra/analysis/capacity.ts) reads only this and the samples files it names.
import type { CapacitySpec, SloSpec, TopologyKind, TraceLab } from '../../contracts/spec/schema.ts';
import type { K6Outcome, RunRecord, SlotRecord } from './record.ts';

export interface CapacityStepRecord {
  readonly topology: string;
  /** 1-based step of this topology's search. */
  readonly step: number;
  /** Offered arrival rate, req/s. */
  readonly rate: number;
  readonly slot: SlotRecord;
}

export interface GatewayStepRecord {
  readonly label: string;
  /** Offered OTLP requests/s (each one batch). */
  readonly rate: number;
  readonly spansPerBatch: number;
  /** Payload bytes captured per large attribute (the spec's workload). */
  readonly bodyBytes: number;
  readonly load: K6Outcome;
  readonly acceptedSpans: number;
  /** Refused by the receiver (the memory limiter's refusals included). */
  readonly refusedSpans: number;
  readonly sendFailedSpans: number;
  readonly enqueueFailedSpans: number;
  /** The exporter's sending queue when k6 stopped, in batches, and its capacity. */
  readonly queueSizeAtEnd: number;
  readonly queueCapacity: number;
  readonly deliveredSpans: number;
  readonly collectorCpuSeconds: number;
  readonly collectorRssMiB: number;
  readonly sinkCpuSeconds: number;
  /** Busy share of each core over the k6 run ("cpu0" → 0.93). */
  readonly coreBusy: Record<string, number>;
}

export interface GatewayCeilingRecord {
  /** Where the collector under test ran ("cpu1") and where k6 and the sink did. */
  readonly collectorCores: readonly string[];
  readonly supportCores: readonly string[];
  /** The memory limit of the spec's gateway container, which its memory limiter is set from. */
  readonly memoryLimitMiB: number;
  readonly steps: GatewayStepRecord[];
  readonly interrupted?: boolean;
}

/** What k6, the sink and a collector cost on the support core, measured once per machine. */
export interface HarnessHeadroom {
  readonly measuredAt: string;
  /** What the cache is keyed by: machine, tool versions. */
  readonly fingerprint: string;
  readonly supportCores: number;
  /** k6's CPU per chat request it sends (slope between two rates: start-up cancels out). */
  readonly k6CpuMsPerRequest: number;
  /** Collector + sink CPU per 1000 spans relayed (the collector topology's path on the support core). */
  readonly pipelineCpuMsPer1kSpans: number;
  readonly collectorCpuMsPer1kSpans: number;
  readonly sinkCpuMsPer1kSpans: number;
}

export interface CapacityRecord
  extends Pick<RunRecord, 'runId' | 'startedAt' | 'finishedAt' | 'backend' | 'backendInfo' | 'machine' | 'pinning' | 'tools' | 'seed'> {
  readonly doc: TraceLab;
  readonly slo: SloSpec;
  readonly search: CapacitySpec;
  readonly quick: boolean;
  /** Cores k6, the collectors and the sink ran on ("cpu0"). */
  readonly supportCores: readonly string[];
  readonly topologies: ReadonlyArray<{ readonly name: string; readonly kind: TopologyKind; readonly baseline: string }>;
  readonly steps: CapacityStepRecord[];
  readonly gateway?: GatewayCeilingRecord;
  readonly harness?: HarnessHeadroom;
  readonly interrupted?: { readonly signal: string };
}
