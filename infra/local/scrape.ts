// Reading the counters a round needs from the processes' Prometheus text (prometheus-text.ts)
// and JSON endpoints.
import { APP_METRICS as M, APP_PATHS } from '../../contracts/app-metrics.ts';
import { mergeLagHistograms, type SinkStats } from '../../contracts/sink-stats.ts';
import type { AppCounters, BackendCounters, CollectorCounters } from '../load/record.ts';
import { parsePrometheusText, type Sample, sumOf } from './prometheus-text.ts';

const get = async (url: string) => {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.text();
};

export async function appCounters(appUrl: string): Promise<AppCounters> {
  return parseAppCounters(await get(`${appUrl}${APP_PATHS.metrics}`));
}

/** AppCounters from the app's Prometheus text (GET /metrics, or its "drained" line on exit). */
export function parseAppCounters(text: string): AppCounters {
  const t = parsePrometheusText(text);
  return {
    requests: sumOf(t, M.requests),
    cpuSeconds: sumOf(t, M.cpuSeconds),
    spansStarted: sumOf(t, M.spansStarted),
    spansEnded: sumOf(t, M.spansEnded),
    spansExported: sumOf(t, M.spansExported),
    spansExportFailed: sumOf(t, M.spansExportFailed),
    spansDropped: sumOf(t, M.spansDropped),
    exportCalls: sumOf(t, M.exportCalls),
    exportSeconds: sumOf(t, M.exportDurationSum),
    eventLoopP99Ms: sumOf(t, M.eventLoopDelay, { quantile: '0.99' }) * 1000,
    eventLoopMaxMs: sumOf(t, M.eventLoopDelay, { quantile: '1' }) * 1000,
    rssBytes: sumOf(t, M.residentMemory),
    ...pythonCounters(t),
  };
}

/** The Python app's own metrics (export thread, GIL), when the app serves them. */
function pythonCounters(t: readonly Sample[]): Pick<AppCounters, 'exportThreadCpuSeconds' | 'exportCpuSeconds' | 'gilContention'> {
  const has = (name: string) => t.some((s) => s.name === name || s.name === `${name}_total`);
  return {
    ...(has(M.exportThreadCpu) ? { exportThreadCpuSeconds: sumOf(t, M.exportThreadCpu) } : {}),
    ...(has(M.exportCpu) ? { exportCpuSeconds: sumOf(t, M.exportCpu) } : {}),
    ...(has(M.gilContention) ? { gilContention: sumOf(t, M.gilContention) } : {}),
  };
}

/** One scrape of a /metrics endpoint, parsed. */
export async function scrapeMetrics(metricsUrl: string): Promise<Sample[]> {
  return parsePrometheusText(await get(metricsUrl));
}

export async function collectorCounters(role: string, metricsUrl: string): Promise<CollectorCounters> {
  return collectorCountersFrom(role, await scrapeMetrics(metricsUrl));
}

/** CollectorCounters from samples already scraped (a caller that reads other metrics of the same scrape). */
export function collectorCountersFrom(role: string, t: readonly Sample[]): CollectorCounters {
  return {
    role,
    acceptedSpans: sumOf(t, 'otelcol_receiver_accepted_spans'),
    sentSpans: sumOf(t, 'otelcol_exporter_sent_spans'),
    sendFailedSpans: sumOf(t, 'otelcol_exporter_send_failed_spans'),
    enqueueFailedSpans: sumOf(t, 'otelcol_exporter_enqueue_failed_spans'),
    queueSize: sumOf(t, 'otelcol_exporter_queue_size'),
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
