// The report's tables as data; markdown.ts and html.ts only choose the markup.
import type { Results } from '../analysis/results.ts';
import { ms, overheadText, percent, ratio, significant } from './format.ts';

export interface Table {
  readonly title: string;
  readonly note?: string;
  readonly header: string[];
  readonly rows: string[][];
}

export function reportTables(r: Results): Table[] {
  const traced = r.topologies.filter((t) => t.kind !== 'baseline');
  return [
    {
      title: 'Latency (ms, measured phase)',
      note: `From k6, pooled over ${r.load.rounds} round(s); percentiles interpolated as k6 does (largest difference from k6's own figures: ${ms(Math.max(...r.topologies.map((t) => t.k6CrossCheckMs)))} ms).`,
      header: ['topology', 'how spans leave', 'requests', 'req/s', 'p50', 'p90', 'p95', 'p99', 'p99.9', 'max', 'failed', 'dropped iterations'],
      rows: r.topologies.map((t) => [
        t.name,
        t.description,
        String(t.requests),
        t.throughputRps.toFixed(1),
        ms(t.latencyMs.p50),
        ms(t.latencyMs.p90),
        ms(t.latencyMs.p95),
        ms(t.latencyMs.p99),
        ms(t.latencyMs.p999),
        ms(t.latencyMs.max),
        String(t.failed),
        String(t.droppedIterations),
      ]),
    },
    {
      title: `Overhead vs ${r.baseline} (ms, 95% bootstrap CI)`,
      note: 'Bold: the interval excludes zero, so the run tells the difference from noise.',
      header: ['topology', 'Δp50', 'Δp95', 'Δp99', 'Δp99.9', 'Δp99 relative'],
      rows: traced.map((t) => [
        t.name,
        ...(['p50', 'p95', 'p99', 'p999'] as const).map((k) =>
          significant(t.overhead?.[k]) ? `**${overheadText(t.overhead?.[k])}**` : overheadText(t.overhead?.[k]),
        ),
        t.overhead ? percent(t.overhead.p99.relative) : '—',
      ]),
    },
    {
      title: 'Spans: emitted vs delivered',
      note: 'Emitted = spans the app ended; delivered = spans the backend accepted for the same slots.',
      header: [
        'topology',
        'spans/request',
        'emitted',
        'delivered',
        'lost',
        'loss',
        'dropped in SDK queue',
        'failed exports',
        'export lag p50',
        'export lag p99',
        'collector accepted → sent',
        'collector send failed / enqueue failed',
      ],
      rows: traced.map((t) => [
        t.name,
        t.spans.perRequest.toFixed(1),
        String(t.spans.ended),
        String(t.spans.delivered),
        String(t.spans.lost),
        ratio(t.spans.lossRatio),
        String(t.spans.droppedInQueue),
        String(t.spans.exportFailed),
        `${ms(t.exportLagMs.p50)} ms`,
        `${ms(t.exportLagMs.p99)} ms`,
        t.collector ? `${t.collector.accepted} → ${t.collector.sent}` : '—',
        t.collector ? `${t.collector.sendFailed} / ${t.collector.enqueueFailed}` : '—',
      ]),
    },
    {
      title: 'Inside the app',
      note: "busy: share of each CPU in use during the topology's slots (all processes), to judge contention. Python only: the SDK export thread's CPU per request (its own CPU clock) and GIL contention (gilknocker, 0..1); overhead is against the baseline named here.",
      header: [
        'topology',
        'runtime / SDK',
        'baseline',
        'CPU per request',
        'event-loop delay p99',
        'event-loop delay max',
        'export calls',
        'time per export call',
        'export thread CPU per request',
        'GIL contention',
        'RSS',
        'busy',
      ],
      rows: r.topologies.map((t) => [
        t.name,
        t.servedBy ? `${t.servedBy.runtime} / ${t.servedBy.sdk}` : '—',
        t.baseline ?? r.baseline,
        `${ms(t.app.cpuMsPerRequest)} ms`,
        `${ms(t.app.eventLoopP99Ms)} ms`,
        `${ms(t.app.eventLoopMaxMs)} ms`,
        String(t.app.exportCalls),
        `${ms(t.app.exportMsPerCall)} ms`,
        t.app.exportThreadCpuMsPerRequest === undefined ? '—' : `${ms(t.app.exportThreadCpuMsPerRequest)} ms`,
        t.app.gilContention === undefined ? '—' : t.app.gilContention.toFixed(3),
        `${t.app.rssMiB.toFixed(0)} MiB`,
        Object.entries(t.cpuBusy ?? {})
          .map(([cpu, share]) => `${cpu} ${Math.round(share * 100)}%`)
          .join(', ') || '—',
      ]),
    },
    {
      title: 'Per round (drift check)',
      header: ['topology', ...Array.from({ length: r.load.rounds }, (_, i) => `round ${i + 1} p50 / p99`)],
      rows: r.topologies.map((t) => [t.name, ...t.rounds.map((x) => `${ms(x.p50)} / ${ms(x.p99)}`)]),
    },
  ];
}

export function runFacts(r: Results): Array<[string, string]> {
  return [
    ['run', r.runId],
    ['spec', `${r.specName}${r.quick ? ' (--quick)' : ''}`],
    ['target', r.target === 'local' ? 'local lab (processes on loopback)' : 'cluster'],
    ['backend', r.backend === 'ingest-sink' ? 'ingest-sink — a Langfuse stand-in (test double), not Langfuse' : 'Langfuse'],
    [
      'load',
      `${r.load.scenario === 'closed' ? `closed model, ${r.load.vus} users, think time ${r.load.thinkTime}` : `${r.load.scenario}, ${r.load.rate} req/s`}, ${r.load.warmup} warm-up + ${r.load.duration} measured, ${r.load.rounds} round(s), topologies interleaved`,
    ],
    [
      'workload',
      Object.entries(r.workload)
        .map(([k, v]) => `${k}=${v}`)
        .join(', '),
    ],
    ['machine', `${r.machine.cpus} CPUs (${r.machine.cpuModel}), ${r.machine.memoryGiB} GiB, ${r.machine.os}, Node ${r.machine.node}`],
    [
      'pinning',
      Object.entries(r.pinning)
        .map(([k, v]) => `${k}: ${v}`)
        .join('; '),
    ],
    [
      'tools',
      Object.entries(r.tools)
        .map(([k, v]) => `${k}: ${v.version} (${v.source})`)
        .join('; '),
    ],
    ['time', `${r.startedAt} → ${r.finishedAt}`],
  ];
}
