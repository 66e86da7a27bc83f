// The faults of one slot: scheduled against the start of its measured phase, applied to this
// slot's own backend, collector and app, and accounted for — counters of processes that were
// restarted are carried into the slot's totals, the drain waits out the collectors' retries,
// and the slot is sampled over time. slot.ts calls these hooks; without spec.faults it does not.
import { durationMs } from '../../../contracts/duration.ts';
import type { AppTimeline } from '../../../contracts/app-timeline.ts';
import type { CollectorSpec, Fault } from '../../../contracts/spec/schema.ts';
import type { AppCounters, BackendCounters, CollectorCounters, FaultRecord, FaultRunRecord } from '../../load/record.ts';
import type { Progress } from '../../tools/resolve.ts';
import { appDelta, collectorDelta, parseAppCounters } from '../scrape.ts';
import type { CollectorService, Service } from '../services.ts';
import { setSinkFaults, sinkFaultSettings } from './backend.ts';
import { crashCollector, restartApp } from './restarts.ts';
import { SlotSampler } from './sampler.ts';

export interface SlotFaultTargets {
  readonly app: Service;
  readonly label: string;
  readonly collector?: CollectorService;
  /** The collector settings of this slot's collector (its retry timing bounds the drain). */
  readonly collectorSettings: CollectorSpec;
  /** ingest-sink's admin URL, for backend faults (absent with another backend: the lab refuses those). */
  readonly sinkAdminUrl?: string;
  /** The slot's spans the backend holds now (one reading, no waiting). */
  readonly countBackend: () => Promise<BackendCounters>;
  readonly signal: AbortSignal;
  readonly progress: Progress;
}

const ZERO_APP = parseAppCounters('');
const zeroCollector = (role: string): CollectorCounters => ({ role, acceptedSpans: 0, sentSpans: 0, sendFailedSpans: 0, enqueueFailedSpans: 0, queueSize: 0 });

/** Counters of two instances of a process one after the other: sums, gauges from the later. */
export function addApp(a: AppCounters, b: AppCounters): AppCounters {
  type Counted = Exclude<{ [K in keyof AppCounters]-?: AppCounters[K] extends number ? K : never }[keyof AppCounters], undefined>;
  const sum = (k: Counted) => a[k] + b[k];
  // Python-only counters add up when both instances had them.
  const optional = (k: 'exportThreadCpuSeconds' | 'exportCpuSeconds') => (a[k] !== undefined && b[k] !== undefined ? a[k] + b[k] : b[k]);
  return {
    ...b,
    requests: sum('requests'),
    cpuSeconds: sum('cpuSeconds'),
    spansStarted: sum('spansStarted'),
    spansEnded: sum('spansEnded'),
    spansExported: sum('spansExported'),
    spansExportFailed: sum('spansExportFailed'),
    spansDropped: sum('spansDropped'),
    exportCalls: sum('exportCalls'),
    exportSeconds: sum('exportSeconds'),
    eventLoopMaxMs: Math.max(a.eventLoopMaxMs, b.eventLoopMaxMs),
    exportThreadCpuSeconds: optional('exportThreadCpuSeconds'),
    exportCpuSeconds: optional('exportCpuSeconds'),
  };
}

export function addCollector(a: CollectorCounters, b: CollectorCounters): CollectorCounters {
  return {
    role: b.role,
    acceptedSpans: a.acceptedSpans + b.acceptedSpans,
    sentSpans: a.sentSpans + b.sentSpans,
    sendFailedSpans: a.sendFailedSpans + b.sendFailedSpans,
    enqueueFailedSpans: a.enqueueFailedSpans + b.enqueueFailedSpans,
    queueSize: b.queueSize,
  };
}

export class SlotFaults {
  private readonly faults: readonly Fault[];
  private readonly targets: SlotFaultTargets;
  private readonly sampler: SlotSampler;
  private readonly records: FaultRecord[] = [];
  private readonly tasks: Promise<void>[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private measuredStartMs = 0;
  /** Counters of app instances that exited during the slot (from their before-reading on). */
  private appCarry?: AppCounters;
  private collectorCarry?: CollectorCounters;
  private readonly timelines: string[] = [];
  private appCpuCarry = 0;

  constructor(faults: readonly Fault[], targets: SlotFaultTargets) {
    this.faults = faults;
    this.targets = targets;
    this.sampler = new SlotSampler(targets.app, targets.countBackend, targets.collector);
  }

  /** The measured phase starts now: sampling starts, each fault fires at its offset. */
  begin(appBefore: AppCounters, collectorBefore: CollectorCounters | undefined): void {
    this.measuredStartMs = Date.now();
    this.sampler.start();
    let appBase = appBefore;
    let collectorBase = collectorBefore;
    for (const fault of this.faults) {
      const run = async () => {
        const record = await this.apply(fault, {
          appRestarted: (finalMetrics) => {
            // This instance's counts since the slot's reading; the next instance starts at zero.
            const final = finalMetrics ? parseAppCounters(finalMetrics) : appBase;
            this.appCarry = this.appCarry ? addApp(this.appCarry, appDelta(appBase, final)) : appDelta(appBase, final);
            appBase = ZERO_APP;
          },
          collectorCrashed: (atKill) => {
            if (!collectorBase) return;
            const lived = collectorDelta(collectorBase, atKill ?? collectorBase);
            this.collectorCarry = this.collectorCarry ? addCollector(this.collectorCarry, lived) : lived;
            collectorBase = zeroCollector(collectorBase.role);
          },
        });
        this.records.push(record);
      };
      const timer = setTimeout(() => this.tasks.push(run()), durationMs(fault.at));
      this.timers.push(timer);
    }
    this.baseOf = () => ({ app: appBase, collector: collectorBase });
  }

  private baseOf: () => { app: AppCounters; collector?: CollectorCounters } = () => ({ app: ZERO_APP });

  private async apply(
    fault: Fault,
    on: { appRestarted: (finalMetrics?: string) => void; collectorCrashed: (atKill?: CollectorCounters) => void },
  ): Promise<FaultRecord> {
    const { app, collector, label, signal, sinkAdminUrl } = this.targets;
    const base = { kind: fault.kind, at: fault.at, duration: fault.duration };
    const ms = durationMs(fault.duration);
    switch (fault.kind) {
      case 'backend-outage':
      case 'backend-slow':
      case 'backend-errors': {
        const startedMs = Date.now();
        if (!sinkAdminUrl) throw new Error(`${fault.kind} needs ingest-sink as the backend`);
        await setSinkFaults(sinkAdminUrl, sinkFaultSettings(fault));
        return { ...base, applied: true, target: 'backend', startedMs, endedMs: startedMs + ms };
      }
      case 'collector-crash': {
        if (!collector) return { ...base, applied: false, note: 'this topology exports without a collector' };
        const outcome = await crashCollector(collector, ms, signal);
        on.collectorCrashed(outcome.atKill);
        return { ...base, applied: true, target: collector.process.spec.name, ...outcome };
      }
      case 'app-restart': {
        const outcome = await restartApp(app, label, ms, signal);
        on.appRestarted(outcome.finalMetrics);
        if (outcome.timeline) this.timelines.push(outcome.timeline);
        this.appCpuCarry += outcome.cpuSeconds;
        return { ...base, applied: true, target: 'app', startedMs: outcome.startedMs, endedMs: outcome.endedMs };
      }
    }
  }

  /** After the load: waits for every fault to have run its course, then clears the backend's. */
  async settle(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    const outcomes = await Promise.allSettled(this.tasks);
    if (this.targets.sinkAdminUrl) await setSinkFaults(this.targets.sinkAdminUrl, undefined).catch(() => undefined);
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed) await this.sampler.stop();
    if (failed) throw new Error(`a fault of ${this.targets.label} could not be applied: ${(failed.reason as Error).message}`);
  }

  /** The slot's app counters: exited instances' plus the current one's. */
  appCounters(after: AppCounters): AppCounters {
    const current = appDelta(this.baseOf().app, after);
    return this.appCarry ? addApp(this.appCarry, current) : current;
  }

  collectorCounters(after: CollectorCounters): CollectorCounters | undefined {
    const base = this.baseOf().collector;
    if (!base) return undefined;
    const current = collectorDelta(base, after);
    return this.collectorCarry ? addCollector(this.collectorCarry, current) : current;
  }

  /** CPU seconds of exited app instances: they ran on the app's core, but the lab reaped them. */
  get appCpuCarried(): number {
    return this.appCpuCarry;
  }

  /** The timelines of every app instance of the slot, as one. */
  mergeTimeline(current: string): string {
    if (this.timelines.length === 0) return current;
    const parts = [...this.timelines, current].map((t) => JSON.parse(t) as AppTimeline);
    const merged = {
      sinceMs: parts[0].sinceMs,
      requests: parts.flatMap((p) => p.requests),
      exports: parts.flatMap((p) => p.exports),
      gc: parts.flatMap((p) => p.gc),
      flushes: parts.flatMap((p) => p.flushes),
      stalls: parts.flatMap((p) => p.stalls),
      dropped: parts.reduce((n, p) => n + p.dropped, 0),
    };
    return JSON.stringify(merged);
  }

  /**
   * Waits until the backend holds every span the app ended that can still come — all of them
   * but those a counter already gave up on (`givenUp`: dropped, failed exports, refused or
   * given up by the collector) — or until no span arrived for longer than a collector's
   * longest retry pause (its retry would have come), or the collector's retry time limit,
   * after which it gives up anyway. Spans lost in a crash are known only this way.
   */
  async drain(
    ended: number,
    read: () => Promise<BackendCounters>,
    givenUp: () => Promise<number>,
  ): Promise<{ backend: BackendCounters; drain: FaultRunRecord['drain'] }> {
    const { retry } = this.targets.collectorSettings;
    const viaCollector = Boolean(this.targets.collector);
    // Retry pauses are randomised up to 1.5 × max_interval.
    const quietMs = viaCollector && retry.enabled ? 1.5 * durationMs(retry.maxInterval) + 5000 : 5000;
    const limitMs = viaCollector && retry.enabled ? durationMs(retry.maxElapsedTime) + 60_000 : 60_000;
    const started = Date.now();
    let backend = await read();
    let changed = Date.now();
    let reason: FaultRunRecord['drain']['reason'] = 'complete';
    while (backend.spans < ended - (await givenUp().catch(() => 0))) {
      if (this.targets.signal.aborted) reason = 'interrupted';
      else if (Date.now() - started > limitMs) reason = 'time-limit';
      else if (Date.now() - changed > quietMs) reason = 'quiet';
      if (reason !== 'complete') break;
      await new Promise((resolve) => setTimeout(resolve, 200));
      const next = await read();
      if (next.spans !== backend.spans) changed = Date.now();
      backend = next;
    }
    return { backend, drain: { endedMs: Date.now(), reason } };
  }

  async finish(drain: FaultRunRecord['drain']): Promise<FaultRunRecord> {
    const series = await this.sampler.stop();
    const records = [...this.records].sort((a, b) => durationMs(a.at) - durationMs(b.at));
    return { measuredStartMs: this.measuredStartMs, faults: records, series, drain };
  }

  /** The slot ended early (Ctrl-C, an error): stop timers and sampling. */
  async abandon(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    await this.sampler.stop();
  }
}
