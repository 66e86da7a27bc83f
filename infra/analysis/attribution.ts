// The tail explained request by request: for every request slower than the baseline's p99,
// what the app was doing while it ran — an export holding the event loop (serialising a
// batch, or handing it to the worker), a major or minor GC pause, an explicit flush, or an
// event-loop stall with none of those. The same overlaps among all requests give the base
// rate: a cause matters when slow requests overlap it far more often than requests at large.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppTimeline } from '../../contracts/app-timeline.ts';
import type { SlotRecord } from '../load/record.ts';
import type { RoundSamples } from './intervals.ts';
import { quantileSorted } from './percentiles.ts';
import type { TopologySamples } from './samples.ts';
import { ATTRIBUTION_CAUSES, type AttributionCause, type TailAttribution, type TimelineSeries } from './results.ts';

type Span = readonly [start: number, end: number];

/** Intervals of each cause in one slot, sorted by start. */
export type CauseIntervals = Record<AttributionCause, Span[]>;

export function causeIntervals(timeline: AppTimeline): CauseIntervals {
  const sorted = (spans: Span[]) => spans.sort((a, b) => a[0] - b[0]);
  return {
    export: sorted(timeline.exports.filter((e) => e.onLoopMs !== undefined).map((e) => [e.startMs, e.startMs + (e.onLoopMs ?? 0)] as const)),
    majorGc: sorted(timeline.gc.filter(([, , kind]) => kind === 'major').map(([start, dur]) => [start, start + dur] as const)),
    flush: sorted(timeline.flushes.map(([start, end]) => [start, end] as const)),
    minorGc: sorted(timeline.gc.filter(([, , kind]) => kind !== 'major').map(([start, dur]) => [start, start + dur] as const)),
    stall: sorted(timeline.stalls.map(([start, late]) => [start, start + late] as const)),
  };
}

/** Whether [start, end] overlaps any of the sorted spans (binary search, then a short scan). */
export function overlapsAny(spans: readonly Span[], start: number, end: number, longest: number): boolean {
  // Any overlapping span starts after start − longest and before end.
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid][0] < start - longest) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < spans.length && spans[i][0] <= end; i++) if (spans[i][1] >= start) return true;
  return false;
}

export interface SlotRequests {
  /** Client-side interval of each successful request: [end − latency, end], epoch ms. */
  readonly intervals: Span[];
  readonly latencyMs: number[];
}

/** Attributes requests of several slots; `slots` pairs each slot's requests with its causes. */
export function attribute(slots: ReadonlyArray<{ requests: SlotRequests; causes: CauseIntervals }>, thresholdMs: number, incompleteSlots = 0): TailAttribution {
  const zero = () => Object.fromEntries(ATTRIBUTION_CAUSES.map((c) => [c, 0])) as Record<AttributionCause, number>;
  const overlapSlow = zero();
  const overlapAll = zero();
  const primary = { ...zero(), nothing: 0 };
  let requests = 0;
  let slow = 0;
  for (const { requests: r, causes } of slots) {
    const longest = Object.fromEntries(ATTRIBUTION_CAUSES.map((c) => [c, Math.max(0, ...causes[c].map(([s, e]) => e - s))])) as Record<
      AttributionCause,
      number
    >;
    r.intervals.forEach(([start, end], i) => {
      requests++;
      const isSlow = r.latencyMs[i] > thresholdMs;
      if (isSlow) slow++;
      let first: AttributionCause | undefined;
      for (const cause of ATTRIBUTION_CAUSES) {
        if (!overlapsAny(causes[cause], start, end, longest[cause])) continue;
        overlapAll[cause]++;
        if (isSlow) overlapSlow[cause]++;
        first ??= cause;
      }
      if (isSlow) primary[first ?? 'nothing']++;
    });
  }
  const share = (counts: Record<string, number>, n: number) => Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, n > 0 ? v / n : 0]));
  return {
    thresholdMs,
    requests,
    slow,
    overlapSlow: share(overlapSlow, slow) as Record<AttributionCause, number>,
    overlapAll: share(overlapAll, requests) as Record<AttributionCause, number>,
    primary: share(primary, slow) as TailAttribution['primary'],
    incompleteSlots,
  };
}

export function readTimeline(runDir: string, slot: SlotRecord): AppTimeline | undefined {
  if (!slot.timelineFile) return undefined;
  try {
    return JSON.parse(readFileSync(join(runDir, slot.timelineFile), 'utf8')) as AppTimeline;
  } catch {
    return undefined;
  }
}

/** Client-side intervals of a round's successful requests (the samples the analysis read). */
export function slotRequests(round: RoundSamples): SlotRequests {
  const intervals: Span[] = [];
  const latencyMs: number[] = [];
  round.latencyMs.forEach((latency, i) => {
    intervals.push([round.endMs[i] - latency, round.endMs[i]]);
    latencyMs.push(latency);
  });
  return { intervals, latencyMs };
}

/** Attribution over every slot of a topology that has a timeline. */
export function attributeTopology(
  samples: TopologySamples,
  timelines: ReadonlyArray<AppTimeline | undefined>,
  thresholdMs: number,
): TailAttribution | undefined {
  const usable: Array<{ requests: SlotRequests; causes: CauseIntervals }> = [];
  let incomplete = 0;
  samples.rounds.forEach((_, i) => {
    const timeline = timelines[i];
    if (!timeline || timeline.dropped > 0) incomplete++;
    if (timeline) usable.push({ requests: slotRequests(samples.rounds[i]), causes: causeIntervals(timeline) });
  });
  return usable.length ? attribute(usable, thresholdMs, incomplete) : undefined;
}

/** The plot's data for the round whose p99 is the median of the topology's rounds. */
export function typicalTimeline(samples: TopologySamples, timelines: ReadonlyArray<AppTimeline | undefined>): TimelineSeries | undefined {
  const withTimeline = samples.slots.map((slot, i) => ({ slot, round: samples.rounds[i], timeline: timelines[i] })).filter((x) => x.timeline);
  if (withTimeline.length === 0) return undefined;
  const p99 = withTimeline.map((x) => ({ ...x, requests: slotRequests(x.round), p99: quantileSorted(x.round.sorted, 0.99) }));
  p99.sort((a, b) => a.p99 - b.p99);
  const pick = p99[Math.floor((p99.length - 1) / 2)];
  const t0 = Math.min(...pick.requests.intervals.map(([start]) => start));
  const s = (ms: number) => Math.round((ms - t0) / 10) / 100;
  const tl = pick.timeline!;
  return {
    round: pick.slot.round,
    requests: pick.requests.intervals.map(([start], i) => [s(start), Math.round(pick.requests.latencyMs[i] * 100) / 100]),
    exports: tl.exports.filter((e) => e.onLoopMs !== undefined).map((e) => [s(e.startMs), Math.round((e.onLoopMs ?? 0) * 100) / 100]),
    majorGc: tl.gc.filter(([, , k]) => k === 'major').map(([start, dur]) => [s(start), Math.round(dur * 100) / 100]),
    stalls: tl.stalls.map(([start, late]) => [s(start), Math.round(late * 100) / 100]),
  };
}

/** How long exports held the event loop, over every timeline: mean and max per export, ms. */
export function exportOnLoop(timelines: ReadonlyArray<AppTimeline | undefined>): { meanMs: number; maxMs: number } {
  const values = timelines.flatMap((t) => t?.exports.map((e) => e.onLoopMs).filter((v): v is number => v !== undefined) ?? []);
  return { meanMs: values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0, maxMs: Math.max(0, ...values) };
}
