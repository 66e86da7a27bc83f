// The sweep's summary in the terminal: the hypothesis and verdict, then one row per point.
import type { SweepResults } from '../analysis/sweep-results.ts';
import { caveatText } from './words.ts';
import { sweepTables } from './sweep.ts';
import { claimLines, hypothesisLines, seriesLines } from './sweep-words.ts';

const plain = (cell: string) => cell.replaceAll('**', '').replace(' not resolved', ' n.r.').replace(' (no interval)', ' (no CI)');

export function sweepTerminal(r: SweepResults): string {
  const [table] = sweepTables(r);
  const rows = [table.header, ...table.rows.map((row) => row.map(plain))];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  const lines = rows.map((row) => row.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
  return [
    `Sweep ${r.runId}: Δ in ms vs each variant's baseline [${Math.round(r.interval.confidence * 100)}% interval, rounds as the unit]; n.r. = not resolved.`,
    '',
    ...lines,
    '',
    ...[...hypothesisLines(r), ...claimLines(r), ...seriesLines(r)].map(plain),
    ...(r.caveats.length ? ['', ...r.caveats.map((c) => `note: ${caveatText(c)}`)] : []),
  ].join('\n');
}
