// The analysed capacity run (capacity.json): data only; infra/report/capacity.ts words it.
import type { CapacitySpec, SloSpec, TopologyKind, Workload } from '../../contracts/spec/schema.ts';
import type { HarnessHeadroom } from '../load/capacity-record.ts';
import type { MachineInfo } from '../load/record.ts';
import type { GatewayBreach, GatewayCeiling, GatewayVerdict } from './gateway.ts';
import type { Knee, StepVerdict } from './knee.ts';

export interface CapacityStep extends StepVerdict {
  readonly step: number;
  readonly p999Ms: number;
  readonly requests: number;
  readonly appCpuMsPerRequest: number;
  readonly spansPerRequest: number;
  readonly collectorCpuMsPer1kSpans?: number;
  /** Busy share of the app's core and of the support core over the step. */
  readonly appCoreBusy: number;
  readonly supportCoreBusy: number;
  /** Other programs' largest share of a core. */
  readonly foreign: number;
}

export interface CapacityTopology {
  readonly name: string;
  readonly kind: TopologyKind;
  readonly baseline: string;
  /** By offered rate. */
  readonly steps: CapacityStep[];
  readonly knee: Knee;
  /** Over the steps that kept the SLO. */
  readonly appCpuMsPerRequest?: number;
  readonly spansPerRequest: number;
  /** App CPU per request minus its baseline's, and that per 1000 spans. */
  readonly tracingCpuMsPerRequest?: number;
  readonly tracingCpuMsPer1kSpans?: number;
  readonly collectorCpuMsPer1kSpans?: number;
  /** Where the SLO broke the support core (k6, collectors, sink) was saturated and the app's was not. */
  readonly harnessLimited: boolean;
}

export interface GatewayResults extends GatewayCeiling {
  readonly spansPerBatch: number;
  readonly memoryLimitMiB: number;
  readonly collectorCores: readonly string[];
  readonly steps: GatewayVerdict[];
  readonly interrupted: boolean;
}

export interface CapacityResults {
  readonly runId: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly specName: string;
  readonly backend: string;
  readonly quick: boolean;
  readonly machine: MachineInfo;
  readonly pinning: Record<string, string>;
  readonly slo: SloSpec;
  readonly search: CapacitySpec;
  readonly workload: Workload;
  /** The spec's load.rate: the sizing target when none is given. */
  readonly targetRate: number;
  /** The spec's gateway: CPU limit of one replica, the batch it sends to the backend. */
  readonly collector: { readonly replicaCpu: string; readonly batchSize: number };
  readonly topologies: CapacityTopology[];
  readonly gateway?: GatewayResults;
  readonly harness?: HarnessHeadroom;
  readonly interrupted?: { readonly signal: string };
  /** Other programs' largest share of a core in any step. */
  readonly foreignMax: number;
}

export type { GatewayBreach };
