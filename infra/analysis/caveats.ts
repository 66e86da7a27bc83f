// What a reader must know to judge a run's figures, as data; the report words each kind.
import type { RunRecord } from '../load/record.ts';
import { minSamplesFor } from './intervals.ts';
import { type Caveat, OVERHEAD_QUANTILES, QUANTILES, type TopologyResult } from './results.ts';

export function caveatsOf(record: RunRecord, topologies: readonly TopologyResult[]): Caveat[] {
  const out: Caveat[] = [];
  const names = (f: (t: TopologyResult) => boolean) => topologies.filter(f).map((t) => t.name);
  if (record.backend === 'ingest-sink') out.push({ kind: 'test-double-backend', mode: record.sinkMode });
  if (record.backend === 'langfuse') out.push({ kind: 'langfuse-backend', ...record.backendInfo });
  if (record.target === 'local') out.push({ kind: 'single-machine' });
  if (record.machine.cpus <= 2) out.push({ kind: 'few-cpus', cpus: record.machine.cpus });
  if (record.interrupted) out.push({ kind: 'interrupted', signal: record.interrupted.signal, round: record.interrupted.duringRound });
  if (record.quick) out.push({ kind: 'quick' });
  const saturated = names((t) => Object.values(t.cores).some((c) => c.busyMax > 0.9));
  if (saturated.length) out.push({ kind: 'core-saturated', topologies: saturated });
  const limit = record.doc.spec.load.interference.maxForeignShare;
  const disturbed = record.slots.filter((s) => (s.interference?.maxForeign ?? 0) > limit);
  if (disturbed.length)
    out.push({ kind: 'foreign-load', slots: disturbed.map((s) => s.label), maxForeign: Math.max(...disturbed.map((s) => s.interference!.maxForeign)) });
  for (const k of OVERHEAD_QUANTILES) {
    const missing = names((t) => t.overhead?.[k]?.resolution === 'no-interval');
    if (missing.length) out.push({ kind: 'no-interval', topologies: missing, percentile: k, needed: minSamplesFor(QUANTILES[k]) });
  }
  const dropped = names((t) => t.droppedIterations > 0);
  if (dropped.length) out.push({ kind: 'dropped-iterations', topologies: dropped });
  const failed = names((t) => t.failed > 0);
  if (failed.length) out.push({ kind: 'failed-requests', topologies: failed });
  const noSummary = record.slots.filter((s) => !s.load.k6Summary).map((s) => s.label);
  if (noSummary.length) out.push({ kind: 'k6-summary-missing', slots: noSummary });
  const negative = names((t) => t.spans.lost < 0);
  if (negative.length) out.push({ kind: 'counting-error', topologies: negative });
  const lost = names((t) => t.spans.lost > 0);
  if (lost.length) out.push({ kind: 'spans-lost', topologies: lost });
  return out;
}
