// What a capacity report says in sentences and tables: each knee with its bracket and what
// broke, the gateway's ceiling, the harness's headroom, and the sizing for a target rate.
import type { CapacityResults, CapacityTopology } from '../analysis/capacity-results.ts';
import type { Sizing } from '../analysis/sizing.ts';
import { ms } from './format.ts';
import type { Table } from './tables.ts';

const BREACH = { p99: 'p99 above the SLO', errors: 'failed requests', dropped: 'dropped iterations', 'spans-lost': 'spans lost' } as const;
const GATEWAY_BREACH = {
  refused: 'refused batches (429/503, memory limiter)',
  queueing: 'its sending queue built up',
  'not-delivered': 'spans not delivered',
  slow: 'answers slower than the SLO p99',
  generator: 'the harness (k6 or the sink) could not send more',
} as const;

const rps = (v: number | undefined) => (v === undefined ? '—' : v >= 100 ? v.toFixed(0) : v.toFixed(1));
const cores = (v: number | undefined) => (v === undefined ? '—' : v < 0.01 ? v.toFixed(4) : v.toFixed(2));

export function kneeText(t: CapacityTopology): string {
  const k = t.knee;
  const broke = k.breaches.map((b) => BREACH[b]).join(', ');
  const noise = k.nonMonotone ? ' (a higher rate kept it once: noise near the knee; more steps or longer steps would tell)' : '';
  const harness = t.harnessLimited ? ' — the support core (k6, collectors, sink) was saturated there, not the app: this is the harness’s limit' : '';
  switch (k.status) {
    case 'found':
      return `${t.name}: knee ≈ ${rps(k.estimateRps)} ± ${rps(k.uncertaintyRps)} req/s — kept the SLO at ${k.keptRps}, broke it at ${k.brokeRps} (${broke})${noise}${harness}.`;
    case 'above-max':
      return `${t.name}: kept the SLO up to ${k.keptRps} req/s, the highest rate tried (capacity.maxRate or the step limit): the knee is above it.`;
    case 'below-min':
      return `${t.name}: broke the SLO already at ${k.brokeRps} req/s (${broke}): lower capacity.startRate or loosen load.slo.`;
    default:
      return `${t.name}: no step was measured.`;
  }
}

export function gatewayText(r: CapacityResults): string | undefined {
  const g = r.gateway;
  if (!g) return undefined;
  const k = g.knee;
  const per = `batches of ${g.spansPerBatch} spans, its memory limiter set from a ${Math.round(g.memoryLimitMiB)} MiB limit, alone on ${g.collectorCores.join(',') || 'a core'}`;
  const cpu = g.collectorCpuMsPer1kSpans === undefined ? '' : `; ${ms(g.collectorCpuMsPer1kSpans)} ms CPU per 1000 spans where it kept up`;
  if (g.harnessLimited && g.keptSpansPerSecond === undefined)
    return `Gateway (${per}): not measured — the harness (k6 and the sink on the support core) could not send even ${rps(g.knee.brokeRps)} batches/s without saturating its core; on a quieter or larger machine it can.`;
  if (g.harnessLimited)
    return `Gateway (${per}): kept up with everything the harness could send — at least ${rps(g.keptSpansPerSecond)} spans/s; its own ceiling is higher than this machine can measure${cpu}.`;
  if (k.status === 'found')
    return `Gateway (${per}): ceiling between ${rps(g.keptSpansPerSecond)} and ${rps(g.brokeSpansPerSecond)} spans/s (at ${g.brokeSpansPerSecond ? 'the higher rate' : ''} ${k.breaches.map((b) => GATEWAY_BREACH[b]).join(', ')})${cpu}.`;
  if (k.status === 'above-max')
    return `Gateway (${per}): kept up to ${rps(g.keptSpansPerSecond)} spans/s, the highest rate tried (capacity.gateway.maxRate)${cpu}.`;
  return `Gateway (${per}): broke at the first rate (${k.breaches.map((b) => GATEWAY_BREACH[b]).join(', ')}); lower capacity.gateway.startRate.`;
}

export function kneeTable(r: CapacityResults): Table {
  return {
    title: 'Knee per topology',
    note: `The knee lies between the highest rate that kept the SLO and the lowest that broke it (± half that bracket). Costs over the steps that kept the SLO; "tracing" is the app's CPU minus its baseline's.`,
    header: [
      'topology',
      'knee (req/s)',
      'kept',
      'broke',
      'what broke',
      'app CPU/req',
      'tracing CPU/req',
      'tracing CPU/1k spans',
      'collector CPU/1k spans',
      'spans/req',
    ],
    rows: r.topologies.map((t) => [
      t.name,
      t.knee.status === 'found'
        ? `${rps(t.knee.estimateRps)} ± ${rps(t.knee.uncertaintyRps)}`
        : t.knee.status === 'above-max'
          ? `> ${t.knee.keptRps}`
          : t.knee.status === 'below-min'
            ? `< ${t.knee.brokeRps}`
            : '—',
      t.knee.keptRps === undefined ? '—' : String(t.knee.keptRps),
      t.knee.brokeRps === undefined ? '—' : String(t.knee.brokeRps),
      `${t.knee.breaches.join(', ') || '—'}${t.harnessLimited ? ' (harness)' : ''}`,
      t.appCpuMsPerRequest === undefined ? '—' : `${ms(t.appCpuMsPerRequest)} ms`,
      t.tracingCpuMsPerRequest === undefined ? '—' : `${ms(t.tracingCpuMsPerRequest)} ms`,
      t.tracingCpuMsPer1kSpans === undefined ? '—' : `${ms(t.tracingCpuMsPer1kSpans)} ms`,
      t.collectorCpuMsPer1kSpans === undefined ? '—' : `${ms(t.collectorCpuMsPer1kSpans)} ms`,
      t.spansPerRequest.toFixed(1),
    ]),
  };
}

export function stepsTable(r: CapacityResults): Table {
  return {
    title: 'Every step',
    note: 'p50/p99 of successful requests in the measured phase; busy: share of the app core and of the support core (k6, collectors, sink) over the step.',
    header: [
      'topology',
      'step',
      'req/s',
      'verdict',
      'p50',
      'p99',
      'p99.9',
      'errors',
      'dropped',
      'spans lost',
      'app CPU/req',
      'app core busy',
      'support core busy',
    ],
    rows: r.topologies.flatMap((t) =>
      t.steps.map((s) => [
        t.name,
        String(s.step),
        String(s.rate),
        s.ok ? 'kept' : `broke: ${s.breaches.join(', ')}`,
        ms(s.p50Ms),
        ms(s.p99Ms),
        ms(s.p999Ms),
        `${(s.errorRatio * 100).toFixed(1)}%`,
        String(s.droppedIterations),
        `${(s.lossRatio * 100).toFixed(1)}%`,
        `${ms(s.appCpuMsPerRequest)} ms`,
        `${Math.round(s.appCoreBusy * 100)}%`,
        `${Math.round(s.supportCoreBusy * 100)}%`,
      ]),
    ),
  };
}

export function sizingTable(s: Sizing): Table {
  const src = { 'gateway-ceiling': "the gateway's own ceiling run", lab: "the lab's collector topology", none: 'nothing measured' }[s.collectorCpuSource];
  return {
    title: `Sizing for ${s.target.rate} req/s at ${s.target.spansPerRequest} spans/request`,
    note: `App tracing CPU scales the measured cost per span (measured at ${s.measuredSpansPerRequest.toFixed(1)} spans/request) linearly. Collector CPU per 1000 spans from ${src}${s.collectorCpuMsPer1kSpans !== undefined ? ` (${ms(s.collectorCpuMsPer1kSpans)} ms)` : ''}; replicas keep each gateway at ≤ ${Math.round(s.target.utilisation * 100)}% of its CPU limit${s.gatewaySpansPerCore ? ` and of its measured ceiling (${Math.round(s.gatewaySpansPerCore)} spans/s per core)` : ''}; run at least 2 for availability. Backend requests at the gateway's batch size.`,
    header: ['topology', 'app CPU for tracing (cores)', 'collector CPU (cores)', 'gateway replicas × CPU', 'backend spans/s', 'backend requests/s'],
    rows: s.rows.map((row) => [
      row.topology,
      cores(row.appTracingCores),
      cores(row.collectorCores),
      row.gatewayReplicas === undefined ? '—' : `${row.gatewayReplicas} × ${row.replicaCpu}`,
      rps(row.backendSpansPerSecond),
      rps(row.backendRequestsPerSecond),
    ]),
  };
}

export function harnessText(r: CapacityResults): string | undefined {
  const h = r.harness;
  if (!h) return undefined;
  const spans = r.workload.spansPerRequest;
  const sustained = (h.supportCores * 1000) / (h.k6CpuMsPerRequest + (spans * h.pipelineCpuMsPer1kSpans) / 1000);
  const above = r.topologies.filter((t) => (t.knee.estimateRps ?? 0) > sustained / 2).map((t) => t.name);
  return `Harness (measured ${h.measuredAt.slice(0, 10)}): k6 ${h.k6CpuMsPerRequest.toFixed(2)} ms CPU per request, collector + sink ${ms(h.pipelineCpuMsPer1kSpans)} ms per 1000 spans — the support core sustains ~${Math.round(sustained)} req/s at ${spans} spans/request.${above.length ? ` The knee of ${above.join(', ')} lies above half of that: the harness may have shaped it.` : ''}`;
}
