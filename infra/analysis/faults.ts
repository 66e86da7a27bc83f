// What a fault run cost each topology, as data: spans ended vs delivered and where the lost
// ones went, latency during the fault vs outside it, the app's memory growth, how long until
// the backend caught up, and one slot's course over time for the timeline plot. Reads only the
// raw record (faultRun, counters) and the slots' samples.
import { join } from 'node:path';
import type { FaultRecord, SlotRecord, SlotSeries } from '../load/record.ts';
import { readSamples } from '../load/samples.ts';
import { quantileSorted } from './percentiles.ts';
import type { FaultTopologyResult, FaultWindow, LossCauses } from './results.ts';

const MiB = 2 ** 20;
const isWindow = (f: FaultRecord): f is FaultRecord & { startedMs: number } => f.applied && f.startedMs !== undefined;
/** A fault's end: when the component was healthy again (or, restart cut short, its planned end). */
const endOf = (f: FaultRecord & { startedMs: number }) => f.endedMs ?? f.startedMs;

/** Where one slot's lost spans went. `crash`: a collector or the app was killed or restarted in it. */
export function lossCauses(slot: SlotRecord): { lost: number; causes: LossCauses } {
  const ended = slot.app.spansEnded;
  const delivered = (slot.backendFinal ?? slot.backend).spans;
  const lost = ended - delivered;
  const counted = {
    sdkQueueDropped: slot.app.spansDropped,
    exportFailed: slot.app.spansExportFailed,
    collectorRefused: slot.collector?.enqueueFailedSpans ?? 0,
    collectorSendFailed: slot.collector?.sendFailedSpans ?? 0,
  };
  const rest = lost - counted.sdkQueueDropped - counted.exportFailed - counted.collectorRefused - counted.collectorSendFailed;
  const crashed = (slot.faultRun?.faults ?? []).some((f) => f.applied && (f.kind === 'collector-crash' || f.kind === 'app-restart'));
  return { lost, causes: { ...counted, lostInCrash: crashed ? rest : 0, unexplained: crashed ? 0 : rest } };
}

/** A counter that starts again from 0 when its process restarts, made monotone. */
function monotone(values: Array<number | null>): Array<number | null> {
  let offset = 0;
  let last = 0;
  return values.map((v) => {
    if (v === null) return null;
    if (v < last) offset += last;
    last = v;
    return v + offset;
  });
}

/**
 * Seconds from the end of the last fault until the backlog (spans ended − spans delivered)
 * is back to its level before the fault plus whatever is never coming: null when that
 * did not happen before the drain ended.
 */
export function recoverySeconds(series: SlotSeries, faultEndMs: number, firstFaultMs: number): number | null {
  const ended = monotone(series.appSpansEnded ?? series.t.map(() => null));
  const backlog = series.t.map((_, i) => {
    const e = ended[i];
    const d = series.backendSpans[i];
    return e === null || d === null ? null : e - d;
  });
  const known = backlog.map((b, i) => [series.t[i], b] as const).filter((x): x is readonly [number, number] => x[1] !== null);
  if (known.length === 0) return null;
  const healthy = Math.max(0, ...known.filter(([t]) => t < firstFaultMs).map(([, b]) => b));
  const settled = known[known.length - 1][1];
  const hit = known.find(([t, b]) => t >= faultEndMs && b <= settled + healthy);
  return hit ? Math.max(0, (hit[0] - faultEndMs) / 1000) : null;
}

function slotLatency(slot: SlotRecord, runDir: string, windows: Array<[number, number]>) {
  const s = readSamples(join(runDir, slot.load.samplesFile));
  const during: number[] = [];
  const outside: number[] = [];
  let failedDuring = 0;
  let failedOutside = 0;
  for (let i = 0; i < s.endMs.length; i++) {
    const start = s.endMs[i] - s.latencyMs[i];
    const inFault = windows.some(([a, b]) => start >= a && start < b);
    if (!s.ok[i]) {
      if (inFault) failedDuring++;
      else failedOutside++;
    } else (inFault ? during : outside).push(s.latencyMs[i]);
  }
  return { during, outside, failedDuring, failedOutside, samples: s };
}

/** One slot's course over time, in seconds from the start of its measured phase. */
function timelineOf(slot: SlotRecord, runDir: string): FaultTopologyResult['timeline'] {
  const run = slot.faultRun!;
  const t0 = run.measuredStartMs;
  const s = readSamples(join(runDir, slot.load.samplesFile));
  const perSecond = new Map<number, number[]>();
  for (let i = 0; i < s.endMs.length; i++) {
    if (!s.ok[i]) continue;
    const second = Math.floor((s.endMs[i] - s.latencyMs[i] - t0) / 1000);
    if (second < 0) continue;
    const list = perSecond.get(second) ?? [];
    list.push(s.latencyMs[i]);
    perSecond.set(second, list);
  }
  const p99PerSecond = [...perSecond.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([second, list]): [number, number] => [second + 0.5, quantileSorted(Float64Array.from(list).sort(), 0.99)]);
  const { t, backendSpans, collectorQueueSize, appRssBytes } = run.series;
  const rel = (ms: number) => (ms - t0) / 1000;
  const deliveredPerSecond: Array<[number, number]> = [];
  let prev: [number, number] | undefined;
  for (let i = 0; i < t.length; i++) {
    const v = backendSpans[i];
    if (v === null) continue;
    if (prev && t[i] > prev[0]) deliveredPerSecond.push([rel(t[i]), Math.max(0, ((v - prev[1]) * 1000) / (t[i] - prev[0]))]);
    prev = [t[i], v];
  }
  // null where a reading failed (the component was down): the plot leaves a gap there.
  const pick = (values: Array<number | null>, scale = 1) => values.map((v, i): [number, number | null] => [rel(t[i]), v === null ? null : v / scale]);
  return {
    round: slot.round,
    endS: rel(run.drain.endedMs),
    measuredS: slot.load.measuredSeconds,
    windows: windowsOf(slot),
    p99PerSecond,
    deliveredPerSecond,
    queueSize: pick(collectorQueueSize),
    rssMiB: pick(appRssBytes, MiB),
  };
}

function windowsOf(slot: SlotRecord): FaultWindow[] {
  const run = slot.faultRun!;
  return run.faults.map((f) => ({
    kind: f.kind,
    applied: f.applied,
    target: f.target,
    note: f.note,
    startS: isWindow(f) ? (f.startedMs - run.measuredStartMs) / 1000 : undefined,
    endS: isWindow(f) ? (endOf(f) - run.measuredStartMs) / 1000 : undefined,
  }));
}

/** The fault results of one topology's slots; undefined for a run without faults. */
export function faultResultOf(slots: readonly SlotRecord[], runDir: string): FaultTopologyResult | undefined {
  const runs = slots.filter((s) => s.faultRun);
  if (runs.length === 0) return undefined;
  const causes: { -readonly [K in keyof LossCauses]: number } = {
    sdkQueueDropped: 0,
    exportFailed: 0,
    collectorRefused: 0,
    collectorSendFailed: 0,
    lostInCrash: 0,
    unexplained: 0,
  };
  let lost = 0;
  const during: number[] = [];
  const outside: number[] = [];
  let failedDuring = 0;
  let failedOutside = 0;
  const recoveries: Array<number | null> = [];
  let rss = { startMiB: 0, maxMiB: 0, growthMiB: 0 };
  for (const slot of runs) {
    const loss = lossCauses(slot);
    lost += loss.lost;
    for (const k of Object.keys(causes) as Array<keyof LossCauses>) causes[k] += loss.causes[k];
    const run = slot.faultRun!;
    const windows = run.faults.filter(isWindow).map((f): [number, number] => [f.startedMs, endOf(f)]);
    const latency = slotLatency(slot, runDir, windows);
    during.push(...latency.during);
    outside.push(...latency.outside);
    failedDuring += latency.failedDuring;
    failedOutside += latency.failedOutside;
    if (windows.length) recoveries.push(recoverySeconds(run.series, Math.max(...windows.map((w) => w[1])), Math.min(...windows.map((w) => w[0]))));
    // The slot whose app grew most: its RSS at the start of the measured phase and its peak.
    const readings = run.series.appRssBytes.filter((v): v is number => v !== null).map((v) => v / MiB);
    if (readings.length) {
      const peak = Math.max(...readings);
      if (peak - readings[0] >= rss.growthMiB) rss = { startMiB: readings[0], maxMiB: peak, growthMiB: peak - readings[0] };
    }
  }
  const sum = (f: (s: SlotRecord) => number) => runs.reduce((n, s) => n + f(s), 0);
  const p99 = (list: number[]) => (list.length ? quantileSorted(Float64Array.from(list).sort(), 0.99) : Number.NaN);
  const worst = recoveries.some((r) => r === null) ? null : recoveries.length ? Math.max(...(recoveries as number[])) : 0;
  return {
    slots: runs.length,
    applied: runs.some((s) => s.faultRun!.faults.some((f) => f.applied)),
    ended: sum((s) => s.app.spansEnded),
    delivered: sum((s) => (s.backendFinal ?? s.backend).spans),
    duplicates: sum((s) => (s.backendFinal ?? s.backend).duplicates ?? 0),
    lost,
    causes,
    latency: {
      p99DuringMs: p99(during),
      p99OutsideMs: p99(outside),
      requestsDuring: during.length + failedDuring,
      failedDuring,
      requestsOutside: outside.length + failedOutside,
      failedOutside,
    },
    rss,
    recoverySeconds: worst,
    drainReasons: [...new Set(runs.map((s) => s.faultRun!.drain.reason))],
    timeline: timelineOf(runs[0], runDir),
  };
}
