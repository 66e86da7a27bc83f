// Reading the counters a round needs from the processes' Prometheus text (prometheus-text.ts)
// and JSON endpoints.
import { APP_METRICS as M, APP_PATHS } from '../../contracts/app-metrics.ts';
import type { SinkStats } from '../../contracts/sink-stats.ts';
import type { AppCounters, BackendCounters, CollectorCounters } from '../load/record.ts';
import { parsePrometheusText, sumOf } from './prometheus-text.ts';

const get = async (url: string) => {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.text();
};

export async function appCounters(appUrl: string): Promise<AppCounters> {
  const t = parsePrometheusText(await get(`${appUrl}${APP_PATHS.metrics}`));
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
  };
}

export async function collectorCounters(role: string, metricsUrl: string): Promise<CollectorCounters> {
  const t = parsePrometheusText(await get(metricsUrl));
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
  const stats = JSON.parse(await get(`${sinkUrl}/stats`)) as SinkStats;
  const groups = stats.groups.filter((g) => g.run === run);
  const sum = (f: (g: SinkStats['groups'][number]) => number) => groups.reduce((n, g) => n + f(g), 0);
  return {
    spans: sum((g) => g.spans),
    traces: sum((g) => g.traces),
    rootSpans: sum((g) => g.rootSpans),
    generations: sum((g) => g.generations),
    lagP50Ms: Math.max(0, ...groups.map((g) => g.lag.p50Ms)),
    lagP99Ms: Math.max(0, ...groups.map((g) => g.lag.p99Ms)),
    lagMaxMs: Math.max(0, ...groups.map((g) => g.lag.maxMs)),
  };
}

/** Counters that accumulate are differenced; gauges (event loop, RSS, queue) keep the later value. */
export function appDelta(before: AppCounters, after: AppCounters): AppCounters {
  const d = (k: keyof AppCounters) => after[k] - before[k];
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
