// The analysed sweep (sweep.json): per topology, the overhead and the app's costs against the
// varied value — data only; the report words and plots it.
import type { SweepValue } from '../../contracts/spec/sweep-paths.ts';
import type { TopologyKind } from '../../contracts/spec/schema.ts';
import type { SweepKnobRecord, SweepPresetRecord } from '../load/sweep-record.ts';
import type { Caveat, Overhead, Results } from './results.ts';

export const SWEEP_QUANTILES = ['p50', 'p99', 'p999'] as const;
export type SweepQuantile = (typeof SWEEP_QUANTILES)[number];

export interface SweepPoint {
  /** The variant (its name among the run's topologies: report.html has it in full). */
  readonly variant: string;
  /** One per knob; null where the knob does not reach this topology. */
  readonly values: ReadonlyArray<SweepValue | null>;
  readonly requests: number;
  readonly failed: number;
  readonly droppedIterations: number;
  readonly latencyMs: Record<SweepQuantile, number>;
  /** Absent for a baseline. */
  readonly overhead?: Record<SweepQuantile, Overhead>;
  readonly cpuMsPerRequest: number;
  /** Minus its baseline's CPU per request at the same values; absent for a baseline. */
  readonly cpuOverheadMsPerRequest?: number;
  readonly eventLoopP99Ms: number;
  readonly eventLoopMaxMs: number;
  readonly spansPerRequest: number;
  readonly spansLost: number;
  readonly lossRatio: number;
  /** Python only. */
  readonly exportThreadCpuMsPerRequest?: number;
  readonly gilContention?: number;
}

/** Δ(at the last value) − Δ(at the first): did the overhead move across the sweep? */
export interface OverheadChange {
  readonly from: SweepValue;
  readonly to: SweepValue;
  readonly ms: number;
  readonly ciLowMs?: number;
  readonly ciHighMs?: number;
}

export interface SweepSeries {
  /** The spec topology the points were made from. */
  readonly topology: string;
  readonly kind: TopologyKind;
  /** Values of the other knobs, fixed along this series (a grid); empty for one knob. */
  readonly fixed: ReadonlyArray<{ readonly path: string; readonly value: SweepValue | null }>;
  /** "inprocess" or "inprocess, captureIO=false". */
  readonly label: string;
  /** In the order of the first knob's values. */
  readonly points: SweepPoint[];
  /** Traced series with ≥ 2 values only. */
  readonly change?: Partial<Record<'p50' | 'p99', OverheadChange>>;
}

export type ConstancyVerdict = 'constant' | 'changes' | 'undecided' | 'no-interval';
export type BandVerdict = 'within' | 'below' | 'above' | 'no-interval';

/** The preset's claim judged per series and overall, from the intervals. */
export interface ClaimVerdict {
  readonly kind: 'constant-overhead';
  readonly lowMs: number;
  readonly highMs: number;
  readonly toleranceMs: number;
  readonly series: ReadonlyArray<{
    readonly label: string;
    readonly constancy: ConstancyVerdict;
    /** Where Δp50 lies against the claimed band, per value. */
    readonly band: ReadonlyArray<{ readonly value: SweepValue | null; readonly verdict: BandVerdict }>;
  }>;
  /** confirmed: every series constant within tolerance; refuted: one changes; otherwise undecided. */
  readonly overall: 'confirmed' | 'refuted' | 'undecided';
}

export interface SweepResults
  extends Pick<
    Results,
    'runId' | 'startedAt' | 'finishedAt' | 'backend' | 'backendInfo' | 'quick' | 'specName' | 'machine' | 'pinning' | 'interval' | 'interrupted'
  > {
  readonly preset?: SweepPresetRecord;
  readonly knobs: readonly SweepKnobRecord[];
  /** The rounds every variant ran in; each round ran all variants in a new seeded order. */
  readonly roundsRun: number;
  readonly load: Results['load'];
  readonly series: SweepSeries[];
  readonly baselines: SweepSeries[];
  readonly claim?: ClaimVerdict;
  readonly caveats: Caveat[];
}
