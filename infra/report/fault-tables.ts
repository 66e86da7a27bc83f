// The fault run's tables as data (markdown.ts and html.ts choose the markup): where the lost
// spans went per topology, and what the app paid during the fault.
import type { LossCauses, Results } from '../analysis/results.ts';
import { ms, ratio } from './format.ts';
import type { Table } from './tables.ts';

const CAUSE_COLUMNS: Array<[keyof LossCauses, string]> = [
  ['sdkQueueDropped', 'SDK queue full'],
  ['exportFailed', 'app export failed'],
  ['collectorRefused', 'collector queue full'],
  ['collectorSendFailed', 'collector gave up'],
  ['lostInCrash', 'lost in a crash'],
  ['unexplained', 'unaccounted'],
];

export function faultTables(r: Results): Table[] {
  const hit = r.topologies.filter((t) => t.faults);
  if (hit.length === 0) return [];
  const traced = hit.filter((t) => t.kind !== 'baseline');
  return [
    {
      title: 'Fault run: spans lost, and where they went',
      note: 'ended: spans the app ended in the slot; delivered: distinct spans the backend holds for it at the end of the run. Each cause comes from its own counter (the app, the collector); "lost in a crash" is what is left in slots where a process was killed — what it held in memory. "app export failed" is to the backend for inprocess, to the collector otherwise. Re-sent: spans that arrived twice (a replayed queue, a retry after a timeout), counted once.',
      header: ['topology', 'ended', 'delivered', 'lost', ...CAUSE_COLUMNS.map(([, h]) => h), 're-sent'],
      rows: traced.map((t) => {
        const f = t.faults!;
        return [
          t.name,
          String(f.ended),
          String(f.delivered),
          f.ended ? `${f.lost} (${ratio(f.lost / f.ended)})` : String(f.lost),
          ...CAUSE_COLUMNS.map(([k]) => String(f.causes[k])),
          String(f.duplicates),
        ];
      }),
    },
    {
      title: 'Fault run: the app meanwhile',
      note: 'Requests are "during" when they started inside a fault window (from the fault taking effect until the component was healthy again). RSS: the slot whose app grew most, from the start of the measured phase to its peak. Recovered: from the end of the last fault until the backlog (ended − delivered) was back to its level before the fault plus what never arrives; worst over the slots, at 0.5 s resolution.',
      header: ['topology', 'p99 during', 'p99 outside', 'failed during', 'failed outside', 'RSS start → peak', 'recovered after', 'drain ended'],
      rows: hit.map((t) => {
        const f = t.faults!;
        return [
          t.name,
          f.latency.requestsDuring ? `${ms(f.latency.p99DuringMs)} ms` : '—',
          `${ms(f.latency.p99OutsideMs)} ms`,
          `${f.latency.failedDuring}/${f.latency.requestsDuring}`,
          `${f.latency.failedOutside}/${f.latency.requestsOutside}`,
          `${f.rss.startMiB.toFixed(0)} → ${f.rss.maxMiB.toFixed(0)} MiB (+${f.rss.growthMiB.toFixed(0)})`,
          t.kind === 'baseline' || !f.applied ? '—' : f.recoverySeconds === null ? 'not within the drain' : `${f.recoverySeconds.toFixed(1)} s`,
          f.drainReasons.join(', '),
        ];
      }),
    },
  ];
}
