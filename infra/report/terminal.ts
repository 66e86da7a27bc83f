// The summary a person reads in the terminal at the end of a run.
import type { Results } from '../analysis/results.ts';
import { ms, percent } from './format.ts';
import { faultRunText, faultVerdict } from './fault-words.ts';
import { caveatText, lossText, overheadCell, precisionText, verdictLines } from './words.ts';

/** Terminal cells: no markdown emphasis, no unit (the header says ms). */
const plain = (cell: string) => cell.replaceAll('**', '').replace(' ms', '').replace(' not resolved', ' n.r.').replace(' (no interval)', ' (no CI)');

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')).join('\n');
}

export function terminalSummary(results: Results): string {
  const header = ['topology', 'p50', 'p95', 'p99', 'p99.9', 'Δp50', 'Δp99', 'Δp99 %', 'CPU/req', 'spans lost', 'lag p99'];
  const rows = results.topologies.map((t) => [
    t.name,
    ms(t.latencyMs.p50),
    ms(t.latencyMs.p95),
    ms(t.latencyMs.p99),
    ms(t.latencyMs.p999),
    plain(overheadCell(t.overhead?.p50)),
    plain(overheadCell(t.overhead?.p99)),
    t.overhead ? percent(t.overhead.p99.relative) : '—',
    `${ms(t.app.cpuMsPerRequest)} ms`,
    t.kind === 'baseline' ? '—' : lossText(t),
    t.kind === 'baseline' ? '—' : `${ms(t.exportLagMs.p99)} ms`,
  ]);
  const lines = [
    `Run ${results.runId} — ${results.load.scenario === 'closed' ? `closed model, ${results.load.vus} users` : `${results.load.scenario} at ${results.load.rate} req/s`}, ${results.load.roundsRun} round(s) × ${results.load.duration} per topology (${results.backend}${results.backend === 'ingest-sink' ? ', a Langfuse stand-in' : ` ${results.backendInfo?.version ?? ''}, longest drain ${results.drainMaxMs ?? 0} ms`})`,
    `Latency in ms from k6 (measured phase, successful requests); Δ = overhead vs each topology's baseline [${Math.round(results.interval.confidence * 100)}% interval, rounds as the unit]; n.r. = not resolved (the interval includes zero).`,
    '',
    table([header, ...rows]),
    '',
    ...verdictLines(results),
  ];
  const precision = precisionText(results);
  if (precision) lines.push(precision);
  const faults = faultRunText(results);
  if (faults) lines.push('', faults, ...results.topologies.flatMap((t) => (faultVerdict(t) ? [`  ${faultVerdict(t)}`] : [])));
  if (results.caveats.length) lines.push('', ...results.caveats.map((c) => `note: ${caveatText(c)}`));
  return lines.join('\n');
}
