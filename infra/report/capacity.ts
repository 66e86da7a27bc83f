// The capacity report: report.md and report.html (with the latency-vs-offered-load plot) of a
// capacity run, rendered from capacity.json; the terminal summary with the sizing table.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { latencyMs } from '../../contracts/spec/fields.ts';
import type { CapacityResults } from '../analysis/capacity-results.ts';
import type { Sizing } from '../analysis/sizing.ts';
import { loadPlot } from './capacity-plot.ts';
import { gatewayText, harnessText, kneeTable, kneeText, sizingTable, stepsTable } from './capacity-words.ts';
import { markdownTable } from './markdown.ts';
import type { Table } from './tables.ts';

export const CAPACITY_FILE = 'capacity.json';

export function writeCapacityResults(runDir: string, r: CapacityResults): void {
  writeFileSync(join(runDir, CAPACITY_FILE), `${JSON.stringify(r, null, 2)}\n`);
}

export function readCapacityResults(runDir: string): CapacityResults {
  const file = join(runDir, CAPACITY_FILE);
  let r: CapacityResults;
  try {
    r = JSON.parse(readFileSync(file, 'utf8')) as CapacityResults;
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as Error).message}; is ${runDir} a capacity run?`);
  }
  if (!Array.isArray(r?.topologies) || !r.slo) throw new Error(`${file} is not a capacity results file`);
  return r;
}

function facts(r: CapacityResults): Array<[string, string]> {
  const s = r.search;
  return [
    ['Spec', r.specName],
    [
      'SLO',
      `p99 ≤ ${r.slo.p99}; failed ≤ ${r.slo.maxErrorRatio * 100}%; dropped iterations ≤ ${r.slo.maxDroppedIterations}; spans lost ≤ ${r.slo.maxSpanLossRatio * 100}%`,
    ],
    [
      'Search',
      `from ${s.startRate} req/s ×${s.growth} until the SLO breaks, then bisection to ${s.resolution * 100}%; steps of ${s.stepWarmup} warm-up + ${s.stepDuration} measured, a fresh app each; at most ${s.maxSteps} per topology${r.quick ? ' (quick)' : ''}`,
    ],
    [
      'Workload',
      `${r.workload.spansPerRequest} spans/request, payload ${r.workload.payloadBytes} B, LLM ${r.workload.llmLatency} ± ${r.workload.llmJitter}, CPU ${r.workload.cpuWork}`,
    ],
    ['Backend', r.backend],
    [
      'Machine',
      `${r.machine.cpus} CPUs (${r.machine.cpuModel}), ${r.machine.memoryGiB} GiB; ${Object.entries(r.pinning)
        .map(([k, v]) => `${k} → ${v}`)
        .join('; ')}`,
    ],
  ];
}

export function capacityLines(r: CapacityResults): string[] {
  const lines = r.topologies.map(kneeText);
  const g = gatewayText(r);
  if (g) lines.push(g);
  const h = harnessText(r);
  if (h) lines.push(h);
  if (r.foreignMax > 0.1)
    lines.push(`Other programs used up to ${Math.round(r.foreignMax * 100)}% of a core during a step: knees measured on a busy machine are low.`);
  if (r.interrupted) lines.push(`Interrupted by ${r.interrupted.signal}: the searches stopped where they were.`);
  return lines;
}

export function capacityMarkdown(r: CapacityResults, size?: Sizing): string {
  const out = [
    `# tracelab capacity — ${r.runId}`,
    '',
    ...facts(r).map(([k, v]) => `- **${k}**: ${v}`),
    '',
    '## What the run says',
    '',
    ...capacityLines(r).map((l) => `- ${l}`),
    '',
  ];
  const tables = [kneeTable(r), ...(size ? [sizingTable(size)] : []), stepsTable(r)];
  for (const t of tables) out.push(`## ${t.title}`, '', ...(t.note ? [t.note, ''] : []), markdownTable(t), '');
  out.push('The latency-vs-offered-load plot is in report.html.', '');
  return out.join('\n');
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

export function capacityHtml(r: CapacityResults, size?: Sizing): string {
  const table = (t: Table) =>
    `<h2>${esc(t.title)}</h2>${t.note ? `<p class="note">${esc(t.note)}</p>` : ''}<table><thead><tr>${t.header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${t.rows
      .map((row) => `<tr>${row.map((c, i) => (i === 0 ? `<th>${esc(c)}</th>` : `<td>${esc(c)}</td>`)).join('')}</tr>`)
      .join('')}</tbody></table>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>tracelab capacity — ${esc(r.runId)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1100px;color:#222;padding:0 1rem}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}
table{border-collapse:collapse;margin:.5rem 0;font-variant-numeric:tabular-nums}
th,td{border-bottom:1px solid #ddd;padding:.3rem .6rem;text-align:right}thead th{background:#f5f5f5}tbody th,thead th:first-child{text-align:left}
.note{color:#555;margin:.2rem 0}.facts th{text-align:left;font-weight:600;padding-right:1rem}.facts td{text-align:left}
</style></head><body>
<h1>tracelab capacity — ${esc(r.runId)}</h1>
<table class="facts">${facts(r)
    .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`)
    .join('')}</table>
<h2>What the run says</h2><ul>${capacityLines(r)
    .map((l) => `<li>${esc(l)}</li>`)
    .join('')}</ul>
<h2>Latency against offered load</h2><p class="note">p99 (solid) and p50 (dashed) of each step; hollow circles broke the SLO.</p>
${loadPlot(r, latencyMs(r.slo.p99))}
${[kneeTable(r), ...(size ? [sizingTable(size)] : []), stepsTable(r)].map(table).join('\n')}
<p class="note">Generated by tracelab from capacity.json; every step's slot in raw/capacity.json, its samples in raw/samples/.</p>
</body></html>
`;
}

export function writeCapacityReport(runDir: string, r: CapacityResults, size?: Sizing): string[] {
  const files = [join(runDir, 'report.md'), join(runDir, 'report.html')];
  writeFileSync(files[0], capacityMarkdown(r, size));
  writeFileSync(files[1], capacityHtml(r, size));
  return files;
}

export function capacityTerminal(r: CapacityResults, size?: Sizing): string {
  const render = (t: Table) => {
    const rows = [t.header, ...t.rows];
    const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
    return [t.title, ...rows.map((row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '))].join('\n');
  };
  return [render(kneeTable(r)), '', ...capacityLines(r), ...(size ? ['', render(sizingTable(size)), sizingTable(size).note ?? ''] : [])].join('\n');
}
