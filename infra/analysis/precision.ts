// What the precision loop asks of the analysis after each round: the half-width of every
// traced topology's Δp99 interval so far.
import type { RunRecord } from '../load/record.ts';
import { differenceInterval } from './intervals.ts';
import type { PrecisionResult, TopologyResult } from './results.ts';
import { baselineOf } from './baseline.ts';
import { topologySamples } from './samples.ts';

export function p99HalfWidths(record: RunRecord, runDir: string): Record<string, number | null> {
  const samples = topologySamples(record, runDir);
  const out: Record<string, number | null> = {};
  for (const t of record.doc.spec.topologies) {
    if (t.topology === 'baseline') continue;
    // Each against its own baseline (its runtime's; a sweep variant's, of its values).
    const base = samples.get(baselineOf(record, t))!;
    out[t.name] = differenceInterval(samples.get(t.name)!.rounds, base.rounds, 0.99)?.halfWidth ?? null;
  }
  return out;
}

/** The precision loop's outcome, with the rounds and time the target would have needed. */
export function precisionOf(record: RunRecord, topologies: readonly TopologyResult[], slotMs: number): PrecisionResult | undefined {
  const p = record.precision;
  if (!p) return undefined;
  const roundsUsed = Math.max(0, ...record.slots.map((s) => s.round));
  const elapsedMs = Date.parse(record.finishedAt) - Date.parse(record.startedAt);
  const perRoundMs = roundsUsed > 0 ? elapsedMs / roundsUsed : slotMs * topologies.length;
  return {
    targetMs: p.targetMs,
    budgetMs: p.budgetMs,
    stopped: p.stopped,
    roundsUsed,
    elapsedMs,
    topologies: topologies
      .filter((t) => t.kind !== 'baseline')
      .map((t) => {
        const halfWidthMs = t.overhead?.p99.halfWidthMs ?? null;
        const needed = roundsNeeded(roundsUsed, halfWidthMs, p.targetMs);
        return { name: t.name, halfWidthMs, roundsNeeded: needed, minutesNeeded: needed === undefined ? undefined : (needed * perRoundMs) / 60_000 };
      }),
  };
}

/**
 * Rounds the target would need: a half-width shrinks as 1/√rounds, so
 * rounds × (reached / target)², rounded up; undefined where nothing was reached.
 */
export function roundsNeeded(rounds: number, reachedMs: number | null, targetMs: number): number | undefined {
  if (reachedMs === null || !(targetMs > 0)) return undefined;
  return Math.max(rounds, Math.ceil(rounds * (reachedMs / targetMs) ** 2));
}
