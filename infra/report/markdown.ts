import type { Results } from '../analysis/results.ts';
import { faultTables } from './fault-tables.ts';
import { faultRunText, faultVerdict } from './fault-words.ts';
import { reportTables, runFacts, type Table } from './tables.ts';
import { attributionText, caveatText, methodText, precisionText, verdictLines } from './words.ts';

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
  if (r.interrupted) out.push(`**Interrupted** by ${r.interrupted.signal} during round ${r.interrupted.round}: figures cover the completed slots.`, '');
  out.push('## What this run says', '', ...verdictLines(r).map((l) => `- ${l}`), '', methodText(r), '');
  const precision = precisionText(r);
  if (precision) out.push(precision, '');
  const faults = faultRunText(r);
  if (faults) out.push('## Fault run', '', faults, '', ...r.topologies.flatMap((t) => (faultVerdict(t) ? [`- ${faultVerdict(t)}`] : [])), '');
  const tail = r.topologies.map(attributionText).filter((l): l is string => Boolean(l));
  if (tail.length) out.push('## The tail, request by request', '', ...tail.map((l) => `- ${l}`), '');
  for (const t of [...faultTables(r), ...reportTables(r)]) out.push(`## ${t.title}`, '', ...(t.note ? [t.note, ''] : []), markdownTable(t), '');
  out.push('## Caveats', '', ...r.caveats.map((c) => `- ${caveatText(c)}`), '');
  out.push('Plots are in report.html. Raw samples: raw/samples/; per-process logs: logs/.', '');
  return out.join('\n');
}
