// What a target app records about itself while it serves, so the analysis can explain the
// tail request by request: when each request ran, and every export, flush, GC pause and
// event-loop stall around it. Served as JSON on GET APP_PATHS.timeline; every runtime (Node,
// Python) writes the same shape. Times are epoch milliseconds (fractional) of the app's clock,
// which on one machine is the load generator's clock too.

/** One request as the app saw it. `seq` is the x-tracelab-seq header (-1 when absent). */
export type TimelineRequest = [seq: number, startMs: number, endMs: number, ok: 0 | 1];

export interface TimelineExport {
  readonly startMs: number;
  /** When the exporter reported the outcome (the HTTP round trip included). */
  readonly endMs: number;
  readonly spans: number;
  readonly ok: boolean;
  /**
   * Time the export call held the request-serving thread before returning (Node: the
   * synchronous part of export() on the event loop — serialization, or only the hand-off
   * when serialization runs in a worker). Absent where the export runs on another thread.
   */
  readonly onLoopMs?: number;
  /** Time spent encoding the batch, wherever it ran (absent when not measured). */
  readonly serializeMs?: number;
}

/** GC pause: kind as the runtime names it, normalised to these four. */
export type TimelineGc = [startMs: number, durationMs: number, kind: 'minor' | 'major' | 'incremental' | 'other'];

/** An explicit flush (POST /admin/flush, or flush-per-request). */
export type TimelineFlush = [startMs: number, endMs: number];

/** The event loop (Node) or asyncio loop (Python) ran late by `lateMs`, starting at `startMs`. */
export type TimelineStall = [startMs: number, lateMs: number];

export interface AppTimeline {
  /** Start of the window (the last POST APP_PATHS.resetWindow), epoch ms. */
  readonly sinceMs: number;
  readonly requests: TimelineRequest[];
  readonly exports: TimelineExport[];
  readonly gc: TimelineGc[];
  readonly flushes: TimelineFlush[];
  readonly stalls: TimelineStall[];
  /** Events not kept because a list reached TIMELINE_LIMIT (oldest kept). */
  readonly dropped: number;
}

/** Each list keeps at most this many events per window, so a soak run stays bounded. */
export const TIMELINE_LIMIT = 200_000;

/** A stall shorter than this is not recorded (timer resolution and scheduling noise). */
export const STALL_THRESHOLD_MS = 5;

export function emptyTimeline(sinceMs: number): AppTimeline {
  return { sinceMs, requests: [], exports: [], gc: [], flushes: [], stalls: [], dropped: 0 };
}
