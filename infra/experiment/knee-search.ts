// The next arrival rate of a capacity search: raise it by a factor until the SLO breaks (or
// lower it until it holds, when the first rate already broke it), then bisect between the
// highest kept and the lowest broken rate until the bracket is narrow enough. Bounded by
// the step count and by maxRate; rates are whole requests per second.

export interface SearchOptions {
  readonly startRate: number;
  readonly maxRate: number;
  readonly growth: number;
  /** Stop when (broke − kept) / kept is at most this. */
  readonly resolution: number;
  readonly maxSteps: number;
  /** Lowest rate tried when even the start breaks the SLO. */
  readonly minRate?: number;
}

/** undefined: the search is over. */
export function nextRate(history: ReadonlyArray<{ readonly rate: number; readonly ok: boolean }>, o: SearchOptions): number | undefined {
  if (history.length === 0) return Math.min(o.startRate, o.maxRate);
  if (history.length >= o.maxSteps) return undefined;
  const minRate = o.minRate ?? 1;
  const broken = history.filter((s) => !s.ok).map((s) => s.rate);
  const hi = broken.length ? Math.min(...broken) : undefined;
  const keptBelow = history.filter((s) => s.ok && (hi === undefined || s.rate < hi)).map((s) => s.rate);
  const lo = keptBelow.length ? Math.max(...keptBelow) : undefined;
  if (hi === undefined) {
    // Still keeping up: climb, but not past the ceiling of the search.
    if (lo! >= o.maxRate) return undefined;
    return Math.min(o.maxRate, Math.max(lo! + 1, Math.round(lo! * o.growth)));
  }
  if (lo === undefined) {
    if (hi <= minRate) return undefined;
    return Math.max(minRate, Math.min(hi - 1, Math.floor(hi / o.growth)));
  }
  if (hi - lo <= 1 || (hi - lo) / lo <= o.resolution) return undefined;
  const mid = Math.round((lo + hi) / 2);
  return mid > lo && mid < hi ? mid : undefined;
}
