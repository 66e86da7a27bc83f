// Attribution on a synthetic timeline whose answer is known: which slow requests overlapped
// an export holding the event loop, a major GC, or nothing.
import { describe, expect, it } from 'vitest';
import type { AppTimeline } from '../../contracts/app-timeline.ts';
import { attribute, causeIntervals, overlapsAny } from '../../infra/analysis/attribution.ts';

const T0 = 1_800_000_000_000;
const timeline: AppTimeline = {
  sinceMs: T0,
  requests: [],
  // Exports at 1 s and 3 s held the loop 30 ms; one at 5 s ran in a worker (no onLoopMs).
  exports: [
    { startMs: T0 + 1000, endMs: T0 + 1040, spans: 512, ok: true, onLoopMs: 30 },
    { startMs: T0 + 3000, endMs: T0 + 3040, spans: 512, ok: true, onLoopMs: 30 },
    { startMs: T0 + 5000, endMs: T0 + 5040, spans: 512, ok: true },
  ],
  gc: [
    [T0 + 2000, 25, 'major'],
    [T0 + 4000, 2, 'minor'],
  ],
  flushes: [],
  stalls: [[T0 + 6000, 40]],
  dropped: 0,
};

describe('attribution', () => {
  const causes = causeIntervals(timeline);

  it('turns the timeline into intervals per cause; an export off the loop is no cause', () => {
    expect(causes.export).toEqual([
      [T0 + 1000, T0 + 1030],
      [T0 + 3000, T0 + 3030],
    ]);
    expect(causes.majorGc).toEqual([[T0 + 2000, T0 + 2025]]);
    expect(causes.minorGc).toEqual([[T0 + 4000, T0 + 4002]]);
    expect(causes.stall).toEqual([[T0 + 6000, T0 + 6040]]);
  });

  it('finds overlaps at the edges and misses gaps', () => {
    const spans = causes.export;
    expect(overlapsAny(spans, T0 + 900, T0 + 1000, 30)).toBe(true); // touches the start
    expect(overlapsAny(spans, T0 + 1030, T0 + 1100, 30)).toBe(true); // touches the end
    expect(overlapsAny(spans, T0 + 1031, T0 + 2999, 30)).toBe(false);
    expect(overlapsAny([], T0, T0 + 1, 0)).toBe(false);
  });

  it('attributes each slow request to the first cause it overlapped, against the base rate', () => {
    // Ten requests of 120 ms; slow (> 150 ms) ones: at the 1 s export, the 2 s GC, the 7 s quiet spot.
    const requests = [
      [T0 + 950, 200],
      [T0 + 1950, 180],
      [T0 + 7000, 170],
      [T0 + 500, 120],
      [T0 + 2900, 120],
      [T0 + 4500, 120],
      [T0 + 5000, 120],
      [T0 + 8000, 120],
      [T0 + 8500, 120],
      [T0 + 9000, 120],
    ] as const;
    const slot = { requests: { intervals: requests.map(([start, ms]) => [start, start + ms] as const), latencyMs: requests.map(([, ms]) => ms) }, causes };
    const a = attribute([slot], 150);
    expect(a).toMatchObject({ thresholdMs: 150, requests: 10, slow: 3, incompleteSlots: 0 });
    expect(a.primary).toMatchObject({ export: 1 / 3, majorGc: 1 / 3, nothing: 1 / 3, flush: 0, minorGc: 0, stall: 0 });
    expect(a.overlapSlow.export).toBeCloseTo(1 / 3, 12);
    // Among all ten, two overlapped an export (950 ms and 2900 ms starts).
    expect(a.overlapAll.export).toBeCloseTo(2 / 10, 12);
    expect(a.overlapAll.majorGc).toBeCloseTo(1 / 10, 12);
  });
});
