// The process faults: a collector SIGKILLed and started again after a while (same ports, same
// config, so a persistent queue finds its files), and the app under test sent SIGTERM under
// load — it stops accepting, finishes in-flight requests, flushes its spans and exits — then
// started again. The Service objects keep their identity; their process is replaced.
import { setTimeout as sleep } from 'node:timers/promises';
import { APP_PATHS } from '../../../contracts/app-metrics.ts';
import { SLOT_ENV } from '../../../contracts/target-app.ts';
import type { CollectorCounters } from '../../load/record.ts';
import { reapedChildrenCpuSeconds } from '../interference.ts';
import { collectorCounters } from '../scrape.ts';
import type { CollectorService, Service } from '../services.ts';

/** Longest a SIGKILLed collector or a draining app may take to exit before the lab gives up on it. */
const EXIT_LIMIT_MS = 40_000;

async function exitedWithin(service: Service, ms: number): Promise<boolean> {
  const timer = new Promise<false>((resolve) => setTimeout(() => resolve(false), ms).unref());
  return Promise.race([service.process.exited.then(() => true as const), timer]);
}

/** Waits up to `ms`, less if aborted. */
const pause = (ms: number, signal: AbortSignal) => sleep(Math.max(0, ms), undefined, { signal }).catch(() => undefined);

export interface CrashOutcome {
  readonly startedMs: number;
  readonly endedMs?: number;
  readonly atKill?: CollectorCounters;
}

export async function crashCollector(collector: CollectorService, downMs: number, signal: AbortSignal): Promise<CrashOutcome> {
  const role = collector.process.spec.name;
  const atKill = await collectorCounters(role, collector.metricsUrl).catch(() => undefined);
  const startedMs = Date.now();
  collector.process.kill();
  if (!(await exitedWithin(collector, EXIT_LIMIT_MS))) throw new Error(`${role} did not exit within ${EXIT_LIMIT_MS} ms of SIGKILL`);
  await pause(startedMs + downMs - Date.now(), signal);
  if (signal.aborted) return { startedMs, atKill };
  collector.process = await collector.process.respawn();
  return { startedMs, endedMs: Date.now(), atKill };
}

export interface RestartOutcome {
  readonly startedMs: number;
  readonly endedMs?: number;
  /** The exited instance's last /metrics text (its "drained" line), when it printed one. */
  readonly finalMetrics?: string;
  /** Its timeline until the SIGTERM. */
  readonly timeline?: string;
  /** Its CPU seconds (it is reaped by the lab, so the slot moves them back to the app's core). */
  readonly cpuSeconds: number;
}

/** The last {"event":"drained"} line an app printed on its way out. */
export function drainedMetrics(output: string): string | undefined {
  for (const line of output.split('\n').reverse()) {
    if (!line.startsWith('{"event":"drained"')) continue;
    try {
      return (JSON.parse(line) as { metrics?: string }).metrics;
    } catch {
      return undefined; // cut by the output tail
    }
  }
  return undefined;
}

export async function restartApp(app: Service, slotLabel: string, downMs: number, signal: AbortSignal): Promise<RestartOutcome> {
  const timeline = await fetch(`${app.url}${APP_PATHS.timeline}`, { signal: AbortSignal.timeout(10_000) })
    .then((r) => (r.ok ? r.text() : undefined))
    .catch(() => undefined);
  const reapedBefore = reapedChildrenCpuSeconds();
  const startedMs = Date.now();
  app.process.terminate();
  if (!(await exitedWithin(app, EXIT_LIMIT_MS))) {
    app.process.kill();
    await exitedWithin(app, 5000);
  }
  const exitedMs = Date.now();
  const outcome = { startedMs, finalMetrics: drainedMetrics(app.process.output), timeline, cpuSeconds: reapedChildrenCpuSeconds() - reapedBefore };
  await pause(exitedMs + downMs - Date.now(), signal);
  if (signal.aborted) return outcome;
  // Labelled from its first span: k6 reaches it the moment it is ready.
  app.process = await app.process.respawn({ [SLOT_ENV]: slotLabel });
  const response = await fetch(`${app.url}${APP_PATHS.slot}`, {
    method: 'POST',
    body: JSON.stringify({ slot: slotLabel }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`the restarted app refused its slot label: ${response.status}`);
  await response.arrayBuffer();
  return { ...outcome, endedMs: Date.now() };
}
