// One slot of the local lab: a freshly started app for one topology, driven by k6 through a
// warm-up and the measured phase, then flushed and drained. A fresh app per slot makes the
// rounds independent replicates (the interval method rests on that) and keeps idle apps off
// the measured core. Around the k6 run, every core's busy time and the lab's own CPU are read
// to tell foreign load apart (interference.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { APP_PATHS } from '../../contracts/app-metrics.ts';
import { durationMs } from '../../contracts/duration.ts';
import type { CollectorSpec, LoadSpec, TraceLab, Workload } from '../../contracts/spec/schema.ts';
import type { TargetSettings } from '../../contracts/target-app.ts';
import { runK6Slot } from '../load/k6-run.ts';
import type { AppIdentity, CollectorCounters, SlotRecord } from '../load/record.ts';
import type { Progress } from '../tools/resolve.ts';
import { interference, processCpuSeconds, readCoreTimes, selfAndReapedChildrenCpuSeconds, type InterferenceReading } from './interference.ts';
import type { LabBackend } from './backend.ts';
import { SlotFaults } from './faults/slot-faults.ts';
import { appCounters, appDelta, collectorCounters, collectorDelta } from './scrape.ts';
import { type CollectorService, type Service, startTarget, type TargetApp } from './services.ts';

export interface SlotEnvironment {
  readonly doc: TraceLab;
  readonly runId: string;
  readonly runDir: string;
  readonly k6: string;
  readonly backend: LabBackend;
  /** Env every app gets (the backend's keys, for in-process export). */
  readonly appEnv: Record<string, string>;
  /** Long-lived lab processes on the support cores (collectors, the backend's own). */
  readonly supportPids: () => readonly number[];
  /** taskset lists; undefined where processes are not pinned. */
  readonly appCpus?: string;
  readonly supportCpus?: string;
  readonly progress: Progress;
  readonly signal: AbortSignal;
}

export interface SlotPlan {
  readonly settings: TargetSettings;
  readonly app: TargetApp;
  readonly kind: SlotRecord['kind'];
  readonly collector?: CollectorService;
  /** The settings that collector runs with (spec.collector, or the topology's own). */
  readonly collectorSettings?: CollectorSpec;
  readonly round: number;
  readonly position: number;
  /** 1 for the first attempt; later attempts get their own label so their spans stay apart. */
  readonly attempt: number;
  /** The load of this slot when it is not the spec's (a sweep variant, a capacity step). */
  readonly load?: LoadSpec;
}

/** What a topology's slots run with instead of the spec's: a sweep variant's workload and load. */
export interface SlotOverrides {
  readonly workload: Workload;
  readonly load: LoadSpec;
}

export type SlotResult = Omit<SlotRecord, 'attempts' | 'discarded' | 'backendFinal'> & { readonly interference?: InterferenceReading };

export const slotLabel = (topology: string, round: number, attempt = 1) => `${topology}-r${round}${attempt > 1 ? `-a${attempt}` : ''}`;

/**
 * What spans carry (SLOT_ATTRIBUTE) and the backend counts by: the label with the run id, so a
 * long-lived backend (a real Langfuse) counts only this run's spans.
 */
export const slotName = (runId: string, label: string) => `${runId}/${label}`;

export async function runSlot(env: SlotEnvironment, plan: SlotPlan): Promise<SlotResult> {
  const { doc, runDir } = env;
  const load = plan.load ?? doc.spec.load;
  const topology = plan.settings.topology;
  const label = slotLabel(topology, plan.round, plan.attempt);
  const dir = (...parts: string[]) => {
    const path = join(runDir, ...parts);
    mkdirSync(join(path, '..'), { recursive: true });
    return path;
  };
  const slot = slotName(env.runId, label);
  await env.backend.beginSlot(slot);
  const app = await startTarget(plan.settings, { logDir: join(runDir, 'logs'), logName: `app-${label}`, cpus: env.appCpus, env: env.appEnv, app: plan.app });
  try {
    await post(`${app.url}${APP_PATHS.slot}`, { slot });
    const servedBy = await appIdentity(app.url);
    const appBefore = await appCounters(app.url);
    const collectorBefore = plan.collector ? await collectorCounters(plan.collector.process.spec.name, plan.collector.metricsUrl) : undefined;
    // The collector's own CPU over the slot (only this slot's app sends to it meanwhile).
    const collectorCpuBefore = plan.collector?.process.pid ? processCpuSeconds(plan.collector.process.pid) : undefined;
    const startedAt = new Date().toISOString();

    const cpuBefore = cpuReading(env, app);
    // Fault runs: faults fire at their offsets into the measured phase (faults/slot-faults.ts).
    const faults =
      doc.spec.faults.length > 0
        ? new SlotFaults(doc.spec.faults, {
            app,
            label: slot,
            collector: plan.collector,
            collectorSettings: plan.collectorSettings ?? doc.spec.collector,
            sinkAdminUrl: env.backend.sink?.adminUrl,
            countBackend: () => env.backend.drain(slot, Number.MAX_SAFE_INTEGER, 0),
            signal: env.signal,
            progress: env.progress,
          })
        : undefined;
    // The event-loop and timeline windows start when the measured phase does.
    const resetTimer = setTimeout(() => {
      faults?.begin(appBefore, collectorBefore);
      void post(`${app.url}${APP_PATHS.resetWindow}`).catch(() => undefined);
    }, durationMs(load.warmup));
    const samplesPath = dir('raw', 'samples', `${label}.csv`);
    const outcome = await runK6Slot({
      k6: env.k6,
      load,
      targetUrl: app.url,
      topology,
      round: plan.round,
      rawCsv: dir('raw', 'k6', `${label}.raw.csv`),
      summaryJson: dir('raw', 'k6', `${label}.summary.json`),
      samplesPath,
      samplesFile: relative(runDir, samplesPath),
      logFile: dir('logs', `k6-${label}.log`),
      cpus: env.supportCpus,
      signal: env.signal,
    })
      .catch(async (error: Error) => {
        await faults?.abandon();
        throw error;
      })
      .finally(() => clearTimeout(resetTimer));
    await faults?.settle();
    const foreign = interferenceSince(cpuBefore, cpuReading(env, app, faults?.appCpuCarried), env);

    const timelinePath = dir('raw', 'timelines', `${label}.json`);
    const timeline = await get(`${app.url}${APP_PATHS.timeline}`);
    writeFileSync(timelinePath, faults ? faults.mergeTimeline(timeline) : timeline);

    // Drain: flush the app, then wait until the backend has every span the app ended. A flush
    // that fails (the backend refused the export, e.g. a body too large) is a measured outcome:
    // the spans that never arrive count as lost; the run goes on.
    await post(`${app.url}${APP_PATHS.flush}`).catch((error: Error) =>
      env.progress(`    ${label}: the app's flush failed (${error.message.slice(0, 160)}); spans that do not arrive count as lost`),
    );
    const appAfter = await appCounters(app.url);
    const delta = faults ? faults.appCounters(appAfter) : appDelta(appBefore, appAfter);
    const givenUp = async () => {
      const now = plan.collector ? await collectorCounters(plan.collector.process.spec.name, plan.collector.metricsUrl) : undefined;
      const c = now && faults?.collectorCounters(now);
      return delta.spansDropped + delta.spansExportFailed + (c ? c.enqueueFailedSpans + c.sendFailedSpans : 0);
    };
    // Langfuse queues, writes ClickHouse in a worker, then answers queries: allow it longer.
    const drainMs = (env.backend.info.kind === 'langfuse' ? 60_000 : 5000) + durationMs(env.doc.spec.collector.batch.timeout);
    const drained = faults
      ? await faults.drain(delta.spansEnded, () => env.backend.drain(slot, Number.MAX_SAFE_INTEGER, 0), givenUp)
      : { backend: await env.backend.drain(slot, delta.spansEnded, env.signal.aborted ? 0 : drainMs), drain: undefined };
    const backend = drained.backend;
    let collector: CollectorCounters | undefined;
    if (plan.collector && collectorBefore) {
      const after = await collectorCounters(plan.collector.process.spec.name, plan.collector.metricsUrl);
      collector = faults ? faults.collectorCounters(after) : collectorDelta(collectorBefore, after);
      const cpuAfter = plan.collector.process.pid ? processCpuSeconds(plan.collector.process.pid) : undefined;
      if (collector && collectorCpuBefore !== undefined && cpuAfter !== undefined) collector = { ...collector, cpuSeconds: cpuAfter - collectorCpuBefore };
    }
    const faultRun = faults && drained.drain ? await faults.finish(drained.drain) : undefined;
    const result: SlotResult = {
      label,
      topology,
      kind: plan.kind,
      round: plan.round,
      position: plan.position,
      startedAt,
      load: outcome,
      app: delta,
      collector,
      backend,
      interference: foreign,
      timelineFile: relative(runDir, timelinePath),
      servedBy,
      ...(faultRun ? { faultRun } : {}),
    };
    env.progress(progressLine(result, load.rounds));
    return result;
  } finally {
    await app.process.stop(10_000);
  }
}

interface CpuReading {
  readonly cores: ReturnType<typeof readCoreTimes>;
  readonly app: number;
  readonly support: number;
}

/** `appCarried`: CPU of app instances a fault run restarted — reaped by the lab, but spent on the app's core. */
function cpuReading(env: SlotEnvironment, app: Service, appCarried = 0): CpuReading {
  const support = env.supportPids().reduce((sum, pid) => sum + (processCpuSeconds(pid) ?? 0), 0);
  return {
    cores: readCoreTimes(),
    app: (app.process.pid ? (processCpuSeconds(app.process.pid) ?? 0) : 0) + appCarried,
    // This process (pinned with the support processes) and the k6 runs it has reaped.
    support: support + selfAndReapedChildrenCpuSeconds() - appCarried,
  };
}

function interferenceSince(before: CpuReading, after: CpuReading, env: SlotEnvironment): InterferenceReading | undefined {
  if (after.cores.size === 0) return undefined;
  const app = after.app - before.app;
  const support = after.support - before.support;
  // Unpinned: all lab time is spread over all cores.
  const labSeconds = env.appCpus && env.supportCpus ? { [env.appCpus]: app, [env.supportCpus]: support } : { [`0-${after.cores.size - 1}`]: app + support };
  return interference(before.cores, after.cores, labSeconds);
}

function progressLine(slot: SlotResult, rounds: number): string {
  const lost = slot.app.spansEnded - slot.backend.spans;
  const p99 = slot.load.k6Summary ? `p99 ${slot.load.k6Summary.p99.toFixed(1)} ms` : 'p99 n/a';
  const foreign = slot.interference ? `  foreign ${Math.round(slot.interference.maxForeign * 100)}%` : '';
  return `  round ${slot.round <= rounds ? `${slot.round}/${rounds}` : slot.round}  ${slot.topology.padEnd(14)} ${String(slot.load.requests).padStart(6)} req  ${p99.padEnd(16)} spans ${slot.app.spansEnded} → ${slot.backend.spans}${lost > 0 ? `  (${lost} not yet delivered)` : ''}${slot.load.droppedIterations ? `  ${slot.load.droppedIterations} dropped iterations` : ''}${foreign}`;
}

/** Runtime and SDK versions as the app reports them on /healthz. */
async function appIdentity(appUrl: string): Promise<AppIdentity> {
  const health = JSON.parse(await get(`${appUrl}${APP_PATHS.health}`)) as Partial<AppIdentity>;
  return { runtime: health.runtime ?? 'unknown', sdk: health.sdk ?? 'unknown' };
}

async function post(url: string, body?: object): Promise<void> {
  const response = await fetch(url, { method: 'POST', body: body ? JSON.stringify(body) : undefined, signal: AbortSignal.timeout(30_000) });
  if (!response.ok) throw new Error(`POST ${url} answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
  await response.arrayBuffer();
}

async function get(url: string): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  return response.text();
}
