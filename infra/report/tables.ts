// The report's tables as data; markdown.ts and html.ts only choose the markup.
import type { Results } from '../analysis/results.ts';
import { ms, percent, ratio, share } from './format.ts';
import { lossText, overheadCell } from './words.ts';

export interface Table {
  readonly title: string;
  readonly note?: string;
  readonly header: string[];
  readonly rows: string[][];
}

export function reportTables(r: Results): Table[] {
  const traced = r.topologies.filter((t) => t.kind !== 'baseline');
  const k6Check = Math.max(...r.topologies.map((t) => t.k6CrossCheckMs));
  return [
    {
      title: 'Latency (ms, measured phase, successful requests)',
      note: `From k6, pooled over ${r.load.roundsRun} round(s); percentiles interpolated as k6 does (largest difference from k6's own figures: ${Number.isNaN(k6Check) ? "n/a — k6's summary is missing for a slot" : `${ms(k6Check)} ms`}). Failed requests are left out and counted as errors.`,
      header: ['topology', 'how spans leave', 'requests', 'errors', 'req/s', 'p50', 'p90', 'p95', 'p99', 'p99.9', 'max', '> 1 s', 'dropped iterations'],
      rows: r.topologies.map((t) => [
        t.name,
        t.description,
        String(t.requests),
        t.failed ? `${t.failed} (${ratio(t.errorRate)})` : '0',
        t.throughputRps.toFixed(1),
        ms(t.latencyMs.p50),
        ms(t.latencyMs.p90),
        ms(t.latencyMs.p95),
        ms(t.latencyMs.p99),
        ms(t.latencyMs.p999),
        ms(t.latencyMs.max),
        String(t.latencyMs.over1s ?? 0),
        String(t.droppedIterations),
      ]),
    },
    {
      title: `Overhead vs baseline (ms, ${Math.round(r.interval.confidence * 100)}% interval)`,
      note: 'Bold: the interval excludes zero — the run tells that difference from noise. "not resolved": it does not.',
      header: ['topology', 'Δp50', 'Δp95', 'Δp99', 'Δp99.9', 'Δp99 relative'],
      rows: traced.map((t) => [
        t.name,
        ...(['p50', 'p95', 'p99', 'p999'] as const).map((k) => overheadCell(t.overhead?.[k])),
        t.overhead ? percent(t.overhead.p99.relative) : '—',
      ]),
    },
    {
      title: 'Spans: emitted vs delivered',
      note: 'Emitted = spans the app ended; delivered = spans the backend holds for the same slots at the end of the run (a span counts in the slot of the request that made it). Export lag: span end → arrival, over all slots.',
      header: [
        'topology',
        'spans/request',
        'emitted',
        'delivered',
        'lost',
        'dropped in SDK queue',
        'failed exports',
        'export lag p50',
        'export lag p99',
        'collector accepted → sent',
        'collector send / enqueue failed',
      ],
      rows: traced.map((t) => [
        t.name,
        t.spans.perRequest.toFixed(1),
        String(t.spans.ended),
        String(t.spans.delivered),
        lossText(t),
        String(t.spans.droppedInQueue),
        String(t.spans.exportFailed),
        `${ms(t.exportLagMs.p50)} ms`,
        `${ms(t.exportLagMs.p99)} ms`,
        t.collector ? `${t.collector.accepted} → ${t.collector.sent}` : '—',
        t.collector ? `${t.collector.sendFailed} / ${t.collector.enqueueFailed}` : '—',
      ]),
    },
    {
      title: 'The tail explained (requests above the baseline p99)',
      note: 'Share of slow requests whose time overlapped each kind of event in the app, with the share among all requests in brackets: a cause matters when slow requests overlap it far more often. "first cause": each slow request counted once, in this order.',
      header: ['topology', 'slow', 'export on the event loop', 'major GC', 'flush', 'minor GC', 'other loop stall', 'nothing seen'],
      rows: r.topologies
        .filter((t) => t.attribution)
        .map((t) => {
          const a = t.attribution!;
          const cell = (k: keyof typeof a.overlapSlow) => `${share(a.overlapSlow[k])} (${share(a.overlapAll[k])})`;
          return [t.name, `${a.slow}/${a.requests}`, cell('export'), cell('majorGc'), cell('flush'), cell('minorGc'), cell('stall'), share(a.primary.nothing)];
        }),
    },
    {
      title: 'Inside the app',
      note: "Export on loop: how long one export call held the event loop (serialisation, or only the hand-off with serializeIn: worker). Python only: the SDK export thread's CPU per request (its own CPU clock) and GIL contention (gilknocker, 0..1). Overhead is against the baseline named here (the one of the same runtime).",
      header: [
        'topology',
        'runtime / SDK',
        'baseline',
        'CPU per request',
        'event-loop delay p99',
        'event-loop delay max',
        'export calls',
        'time per export call',
        'export on loop mean / max',
        'export thread CPU per request',
        'GIL contention',
        'RSS',
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
        t.app.exportCalls ? `${ms(t.app.exportOnLoopMsMean)} / ${ms(t.app.exportOnLoopMsMax)} ms` : '—',
        t.app.exportThreadCpuMsPerRequest === undefined ? '—' : `${ms(t.app.exportThreadCpuMsPerRequest)} ms`,
        t.app.gilContention === undefined ? '—' : t.app.gilContention.toFixed(3),
        `${t.app.rssMiB.toFixed(0)} MiB`,
      ]),
    },
    {
      title: 'Cores and other programs',
      note: "busy: mean share of each core in use during the topology's slots; foreign: the most other programs (and the hypervisor, as steal) took of a core in one slot. Slots above the limit are re-run.",
      header: ['topology', 'busy', 'foreign (max)', 're-run slots', 'kept although disturbed'],
      rows: r.topologies.map((t) => [
        t.name,
        Object.entries(t.cores)
          .map(([cpu, c]) => `${cpu} ${share(c.busy)}`)
          .join(', ') || '—',
        Object.entries(t.cores)
          .map(([cpu, c]) => `${cpu} ${share(c.foreignMax)}`)
          .join(', ') || '—',
        String(t.rerunSlots),
        String(t.flaggedSlots),
      ]),
    },
    {
      title: 'Per round (drift check)',
      note: `Order of topologies per round (seeded, new each round): ${r.orders.map((o, i) => `${i + 1}: ${o.join(' → ')}`).join('; ')}.`,
      header: ['topology', ...Array.from({ length: r.load.roundsRun }, (_, i) => `round ${i + 1} p50 / p99`)],
      rows: r.topologies.map((t) => [
        t.name,
        ...Array.from({ length: r.load.roundsRun }, (_, i) => {
          const x = t.rounds.find((round) => round.round === i + 1);
          return x ? `${ms(x.p50)} / ${ms(x.p99)}` : '—';
        }),
      ]),
    },
  ];
}

export function runFacts(r: Results): Array<[string, string]> {
  return [
    ['run', r.runId],
    ['spec', `${r.specName}${r.quick ? ' (--quick)' : ''}`],
    ['target', r.target === 'local' ? 'local lab (processes on loopback)' : 'cluster'],
    [
      'backend',
      r.backend === 'ingest-sink'
        ? 'ingest-sink — a Langfuse stand-in (test double), not Langfuse'
        : `Langfuse ${r.backendInfo?.version ?? ''} at ${r.backendInfo?.url ?? ''}; longest drain (time-to-queryable) ${r.drainMaxMs ?? 0} ms`,
    ],
    [
      'load',
      `${r.load.scenario === 'closed' ? `closed model, ${r.load.vus} users, think time ${r.load.thinkTime}` : `${r.load.scenario}, ${r.load.rate} req/s`}, ${r.load.warmup} warm-up + ${r.load.duration} measured, ${r.load.roundsRun} round(s) run (spec: ${r.load.rounds}), topologies interleaved in a new order each round, a fresh app per slot`,
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
