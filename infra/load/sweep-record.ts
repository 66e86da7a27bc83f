// What a sweep ran, kept in the raw record beside the slots: the knobs and their values, and
// for every variant (one topology at one combination of values) which spec topology it came
// from, the values it ran with and the baseline it is measured against. The analysis reads
// it to pair each variant with its own baseline and to lay the results out against the values.
import type { SweepValue } from '../../contracts/spec/sweep-paths.ts';
import type { TopologyKind, Workload } from '../../contracts/spec/schema.ts';

export interface SweepKnobRecord {
  /** Below spec, as given, e.g. "app.workload.payloadBytes". */
  readonly path: string;
  readonly scope: 'topology' | 'workload' | 'load';
  readonly values: readonly SweepValue[];
}

/** A claim a preset tests; the analysis judges it from the intervals. */
export interface ConstantOverheadClaim {
  readonly kind: 'constant-overhead';
  /** The claimed overhead band, ms (the field report: ~2–3 ms). */
  readonly lowMs: number;
  readonly highMs: number;
  /** A change of overhead across the values smaller than this counts as constant, ms. */
  readonly toleranceMs: number;
}

export interface SweepPresetRecord {
  readonly name: string;
  readonly hypothesis: string;
  readonly claim?: ConstantOverheadClaim;
  /** What the preset set besides its knobs (load, topologies), in words. */
  readonly setup: string;
}

export interface SweepVariantRecord {
  /** Its name among the run's topologies (record.doc.spec.topologies). */
  readonly name: string;
  /** The spec topology it was made from. */
  readonly topology: string;
  readonly kind: TopologyKind;
  /**
   * One per knob, in knob order; null where the knob does not reach this variant (a baseline
   * under a topology knob: one baseline serves every value).
   */
  readonly values: ReadonlyArray<SweepValue | null>;
  /** The variant it is compared with; absent for a baseline. */
  readonly baseline?: string;
  readonly workload: Workload;
  readonly load: { readonly rate: number; readonly vus: number; readonly thinkTime: string };
}

export interface SweepRecord {
  readonly preset?: SweepPresetRecord;
  readonly knobs: readonly SweepKnobRecord[];
  readonly variants: readonly SweepVariantRecord[];
  /** Every variant runs once per round, all in one seeded order: drift falls on every value alike. */
  readonly interleaved: true;
}
