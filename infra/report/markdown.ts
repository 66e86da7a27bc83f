import type { Results } from '../analysis/results.ts';
import { reportTables, runFacts, type Table } from './tables.ts';

const cell = (s: string) => s.replaceAll('|', '\\|');

export function markdownTable(t: Table): string {
  return [
    `| ${t.header.map(cell).join(' | ')} |`,
    `|${t.header.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`,
    ...t.rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');
}

export function markdownReport(r: Results): string {
  const out = [`# tracelab report — ${r.runId}`, '', ...runFacts(r).map(([k, v]) => `- **${k}**: ${v}`), ''];
  for (const t of reportTables(r)) out.push(`## ${t.title}`, '', ...(t.note ? [t.note, ''] : []), markdownTable(t), '');
  out.push('## Caveats', '', ...r.caveats.map((c) => `- ${c}`), '');
  out.push('Plots are in report.html. Raw samples: raw/samples/; per-process logs: logs/.', '');
  return out.join('\n');
}
