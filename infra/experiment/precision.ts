// The precision loop's stopping rule (load.precision): after the spec's rounds, keep adding
// rounds until every traced topology's Δp99 interval half-width is at most the target, or
// the time budget would be exceeded by one more round, or the round limit is reached.

export type StopReason = 'reached' | 'budget' | 'max-rounds';

export interface PrecisionState {
  readonly round: number;
  readonly minRounds: number;
  readonly maxRounds: number;
  readonly targetMs: number;
  readonly elapsedMs: number;
  readonly budgetMs: number;
  /** Half-width per traced topology; null where no interval could be computed yet. */
  readonly halfWidthMs: Readonly<Record<string, number | null>>;
}

/** undefined: run another round. */
export function stopReason(s: PrecisionState): StopReason | undefined {
  if (s.round < s.minRounds) return undefined;
  const widths = Object.values(s.halfWidthMs);
  if (widths.length > 0 && widths.every((w) => w !== null && w <= s.targetMs)) return 'reached';
  if (s.round >= s.maxRounds) return 'max-rounds';
  // Rounds take about the same time: stop when one more would not fit in the budget.
  const perRound = s.elapsedMs / s.round;
  if (s.elapsedMs + perRound > s.budgetMs) return 'budget';
  return undefined;
}
