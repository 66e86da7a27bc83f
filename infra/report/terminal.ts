// The summary a person reads in the terminal at the end of a run.
import type { Results } from '../analysis/results.ts';
import { ms, overheadText, percent, ratio } from './format.ts';

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')).join('\n');
}

export function terminalSummary(results: Results): string {
  const header = ['topology', 'p50', 'p95', 'p99', 'p99.9', 'Δp50 ms [95% CI]', 'Δp99 ms [95% CI]', 'Δp99', 'CPU/req', 'spans lost', 'lag p99'];
  const rows = results.topologies.map((t) => [
    t.name,
    ms(t.latencyMs.p50),
    ms(t.latencyMs.p95),
    ms(t.latencyMs.p99),
    ms(t.latencyMs.p999),
    overheadText(t.overhead?.p50).replace(' ms', ''),
    overheadText(t.overhead?.p99).replace(' ms', ''),
    t.overhead ? percent(t.overhead.p99.relative) : '—',
    `${ms(t.app.cpuMsPerRequest)} ms`,
    t.kind === 'baseline' ? '—' : `${t.spans.lost}/${t.spans.ended} (${ratio(t.spans.lossRatio)})`,
    t.kind === 'baseline' ? '—' : `${ms(t.exportLagMs.p99)} ms`,
  ]);
  const lines = [
    `Run ${results.runId} — ${results.load.scenario === 'closed' ? `closed model, ${results.load.vus} users` : `${results.load.scenario} at ${results.load.rate} req/s`}, ${results.load.rounds} round(s) × ${results.load.duration} per topology (${results.backend}${results.backend === 'ingest-sink' ? ', a Langfuse stand-in' : ''})`,
    `Latency in ms from k6 (measured phase only); Δ = overhead vs ${results.baseline}, 95% bootstrap CI.`,
    '',
    table([header, ...rows]),
  ];
  if (results.caveats.length) lines.push('', ...results.caveats.map((c) => `note: ${c}`));
  return lines.join('\n');
}
