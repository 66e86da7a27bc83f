// The app's own record of what happened when (contracts/app-timeline.ts): requests, exports,
// flushes, GC pauses (perf_hooks) and event-loop stalls (a periodic timer's lateness).
// Bounded per window; reset with the measured phase.
import { constants, type PerformanceEntry, PerformanceObserver } from 'node:perf_hooks';
import { type AppTimeline, emptyTimeline, STALL_THRESHOLD_MS, TIMELINE_LIMIT, type TimelineExport, type TimelineGc } from '../../../contracts/app-timeline.ts';

/** Epoch milliseconds with sub-millisecond precision. */
export const epochMs = (): number => performance.timeOrigin + performance.now();

const GC_KIND: Record<number, TimelineGc[2]> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
};

/** How often the stall detector wakes; lateness beyond STALL_THRESHOLD_MS is a stall. */
const TICK_MS = 5;

export class Timeline {
  private window: AppTimeline = emptyTimeline(epochMs());
  private dropped = 0;
  private readonly gcObserver: PerformanceObserver;
  private readonly ticker: NodeJS.Timeout;

  constructor() {
    this.gcObserver = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const { detail } = entry as PerformanceEntry & { detail?: { kind?: number } };
        const kind = GC_KIND[detail?.kind ?? -1] ?? 'other';
        this.push(this.window.gc, [performance.timeOrigin + entry.startTime, entry.duration, kind]);
      }
    });
    this.gcObserver.observe({ entryTypes: ['gc'] });
    let expected = performance.now() + TICK_MS;
    this.ticker = setInterval(() => {
      const now = performance.now();
      const late = now - expected;
      if (late > STALL_THRESHOLD_MS) this.push(this.window.stalls, [performance.timeOrigin + expected, late]);
      expected = now + TICK_MS;
    }, TICK_MS);
    this.ticker.unref();
  }

  request(seq: number, startMs: number, endMs: number, ok: boolean): void {
    this.push(this.window.requests, [seq, startMs, endMs, ok ? 1 : 0]);
  }

  export(event: TimelineExport): void {
    this.push(this.window.exports, event);
  }

  flush(startMs: number, endMs: number): void {
    this.push(this.window.flushes, [startMs, endMs]);
  }

  /** A new window: the measured phase of a slot starts. */
  reset(): void {
    this.window = emptyTimeline(epochMs());
    this.dropped = 0;
  }

  snapshot(): AppTimeline {
    return { ...this.window, dropped: this.dropped };
  }

  close(): void {
    this.gcObserver.disconnect();
    clearInterval(this.ticker);
  }

  private push<T>(list: T[], event: T): void {
    if (list.length >= TIMELINE_LIMIT) {
      this.dropped++;
      return;
    }
    list.push(event);
  }
}
