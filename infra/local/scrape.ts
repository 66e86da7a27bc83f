// Reading the counters a round needs from the processes' Prometheus text and JSON endpoints.
import { APP_METRICS as M, APP_PATHS } from '../../contracts/app-metrics.ts';
import { mergeLagHistograms, type SinkStats } from '../../contracts/sink-stats.ts';
import type { AppCounters, BackendCounters, CollectorCounters } from '../load/record.ts';

/** Sum of every sample of `name` (with or without the _total suffix) in Prometheus text. */
export function promSum(text: string, name: string, labelFilter?: RegExp): number {
  let sum = 0;
  const pattern = new RegExp(`^${name}(?:_total)?(\\{[^}]*\\})? (\\S+)$`, 'gm');
  for (const [, labels, v] of text.matchAll(pattern)) {
    if (labelFilter && !labelFilter.test(labels ?? '')) continue;
    sum += Number(v);
  }
  return sum;
}

const get = async (url: string) => {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.text();
};

export async function appCounters(appUrl: string): Promise<AppCounters> {
  return parseAppCounters(await get(`${appUrl}${APP_PATHS.metrics}`));
}

/** AppCounters from the app's Prometheus text (GET /metrics, or its "drained" line on exit). */
export function parseAppCounters(t: string): AppCounters {
  return {
    requests: promSum(t, M.requests),
    cpuSeconds: promSum(t, M.cpuSeconds),
    spansStarted: promSum(t, M.spansStarted),
    spansEnded: promSum(t, M.spansEnded),
    spansExported: promSum(t, M.spansExported),
    spansExportFailed: promSum(t, M.spansExportFailed),
    spansDropped: promSum(t, M.spansDropped),
    exportCalls: promSum(t, M.exportCalls),
    exportSeconds: promSum(t, M.exportDurationSum),
    eventLoopP99Ms: promSum(t, M.eventLoopDelay, /quantile="0.99"/) * 1000,
    eventLoopMaxMs: promSum(t, M.eventLoopDelay, /quantile="1"/) * 1000,
    rssBytes: promSum(t, M.residentMemory),
    ...pythonCounters(t),
  };
}

/** The Python app's own metrics (export thread, GIL), when the app serves them. */
function pythonCounters(t: string): Pick<AppCounters, 'exportThreadCpuSeconds' | 'exportCpuSeconds' | 'gilContention'> {
  const has = (name: string) => new RegExp(`^${name}(?:_total)?[{ ]`, 'm').test(t);
  return {
    ...(has(M.exportThreadCpu) ? { exportThreadCpuSeconds: promSum(t, M.exportThreadCpu) } : {}),
    ...(has(M.exportCpu) ? { exportCpuSeconds: promSum(t, M.exportCpu) } : {}),
    ...(has(M.gilContention) ? { gilContention: promSum(t, M.gilContention) } : {}),
  };
}

export async function collectorCounters(role: string, metricsUrl: string): Promise<CollectorCounters> {
  const t = await get(metricsUrl);
  return {
    role,
    acceptedSpans: promSum(t, 'otelcol_receiver_accepted_spans'),
    sentSpans: promSum(t, 'otelcol_exporter_sent_spans'),
    sendFailedSpans: promSum(t, 'otelcol_exporter_send_failed_spans'),
    enqueueFailedSpans: promSum(t, 'otelcol_exporter_enqueue_failed_spans'),
    queueSize: promSum(t, 'otelcol_exporter_queue_size'),
  };
}

export async function backendCounters(sinkUrl: string, run: string): Promise<BackendCounters> {
  const stats = JSON.parse(await get(`${sinkUrl}/stats?run=${encodeURIComponent(run)}`)) as SinkStats;
  const groups = stats.groups.filter((g) => g.run === run);
  const sum = (f: (g: SinkStats['groups'][number]) => number) => groups.reduce((n, g) => n + f(g), 0);
  return {
    spans: sum((g) => g.spans),
    duplicates: sum((g) => g.duplicates ?? 0),
    traces: sum((g) => g.traces),
    rootSpans: sum((g) => g.rootSpans),
    generations: sum((g) => g.generations),
    lag: { ...mergeLagHistograms(groups.map((g) => g.lag.histogram)), maxMs: Math.max(0, ...groups.map((g) => g.lag.maxMs)) },
  };
}

/** Counters that accumulate are differenced; gauges (event loop, RSS, queue) keep the later value. */
export function appDelta(before: AppCounters, after: AppCounters): AppCounters {
  const d = (k: Exclude<keyof AppCounters, 'exportThreadCpuSeconds' | 'exportCpuSeconds' | 'gilContention'>) => after[k] - before[k];
  return {
    requests: d('requests'),
    cpuSeconds: d('cpuSeconds'),
    spansStarted: d('spansStarted'),
    spansEnded: d('spansEnded'),
    spansExported: d('spansExported'),
    spansExportFailed: d('spansExportFailed'),
    spansDropped: d('spansDropped'),
    exportCalls: d('exportCalls'),
    exportSeconds: d('exportSeconds'),
    eventLoopP99Ms: after.eventLoopP99Ms,
    eventLoopMaxMs: after.eventLoopMaxMs,
    rssBytes: after.rssBytes,
    ...(after.exportThreadCpuSeconds !== undefined ? { exportThreadCpuSeconds: after.exportThreadCpuSeconds - (before.exportThreadCpuSeconds ?? 0) } : {}),
    ...(after.exportCpuSeconds !== undefined ? { exportCpuSeconds: after.exportCpuSeconds - (before.exportCpuSeconds ?? 0) } : {}),
    ...(after.gilContention !== undefined ? { gilContention: after.gilContention } : {}),
  };
}

export function collectorDelta(before: CollectorCounters, after: CollectorCounters): CollectorCounters {
  return {
    role: after.role,
    acceptedSpans: after.acceptedSpans - before.acceptedSpans,
    sentSpans: after.sentSpans - before.sentSpans,
    sendFailedSpans: after.sendFailedSpans - before.sendFailedSpans,
    enqueueFailedSpans: after.enqueueFailedSpans - before.enqueueFailedSpans,
    queueSize: after.queueSize,
  };
}
