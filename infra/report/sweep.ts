// The sweep report: report.md (tables) and report.html (the same, with line plots and interval
// bands) of a sweep run, rendered from sweep.json. variants.html shows every variant in full.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SweepQuantile, SweepResults, SweepSeries } from '../analysis/sweep-results.ts';
import { ms, ratio } from './format.ts';
import { markdownTable } from './markdown.ts';
import { linePlot, type PlotLine } from './sweep-plot.ts';
import type { Table } from './tables.ts';
import { caveatText, overheadCell } from './words.ts';
import { claimLines, hypothesisLines, interleavingText, knobName, knobsText, seriesLines, valueText } from './sweep-words.ts';

export const SWEEP_FILE = 'sweep.json';
const QNAME: Record<SweepQuantile, string> = { p50: 'p50', p99: 'p99', p999: 'p99.9' };

export function writeSweepResults(runDir: string, r: SweepResults): void {
  writeFileSync(join(runDir, SWEEP_FILE), `${JSON.stringify(r, null, 2)}\n`);
}

export function readSweepResults(runDir: string): SweepResults {
  const file = join(runDir, SWEEP_FILE);
  const r = JSON.parse(readFileSync(file, 'utf8')) as SweepResults;
  if (!Array.isArray(r?.series) || !Array.isArray(r.knobs))
    throw new Error(`${file} is not a sweep results file; re-create it with: tracelab report --reanalyze ${runDir}`);
  return r;
}

export function writeSweepReport(runDir: string, r: SweepResults): string[] {
  const files = [join(runDir, 'report.md'), join(runDir, 'report.html')];
  writeFileSync(files[0], sweepMarkdown(r));
  writeFileSync(files[1], sweepHtml(r));
  return files;
}

function facts(r: SweepResults): Array<[string, string]> {
  const load = r.load.scenario === 'closed' ? `closed model, ${r.load.vus} users` : `${r.load.scenario} at ${r.load.rate} req/s`;
  return [
    ['Spec', r.specName],
    ['Varied', knobsText(r)],
    ['Load', `${load}; ${r.load.warmup} warm-up + ${r.load.duration} measured per slot; ${r.roundsRun} round(s)${r.quick ? ' (quick)' : ''}`],
    ['Backend', `${r.backend}${r.backendInfo?.version ? ` ${r.backendInfo.version}` : ''}`],
    [
      'Machine',
      `${r.machine.cpus} CPUs (${r.machine.cpuModel}), ${r.machine.memoryGiB} GiB; ${Object.entries(r.pinning)
        .map(([k, v]) => `${k} → ${v}`)
        .join('; ')}`,
    ],
    ['Intervals', `${Math.round(r.interval.confidence * 100)}%, rounds as the unit (as in every report)`],
  ];
}

export function sweepTables(r: SweepResults): Table[] {
  const path = r.knobs[0].path;
  const x = knobName(path);
  const traced: Table = {
    title: `Overhead against ${x} (ms, ${Math.round(r.interval.confidence * 100)}% interval)`,
    note: 'Δ = variant − its baseline at the same values. Bold: the interval excludes zero. CPU/req is the app process; Δ CPU/req subtracts its baseline. Loop p99: event-loop delay p99 (largest over slots).',
    header: ['topology', x, 'Δp50', 'Δp99', 'Δp99.9', 'CPU/req (Δ)', 'loop p99', 'spans/req', 'spans lost', 'requests'],
    rows: r.series.flatMap((s) =>
      s.points.map((p) => [
        s.label,
        valueText(path, p.values[0]),
        overheadCell(p.overhead?.p50),
        overheadCell(p.overhead?.p99),
        overheadCell(p.overhead?.p999),
        `${ms(p.cpuMsPerRequest)} (${p.cpuOverheadMsPerRequest === undefined ? '—' : `${p.cpuOverheadMsPerRequest >= 0 ? '+' : ''}${ms(p.cpuOverheadMsPerRequest)}`})`,
        `${ms(p.eventLoopP99Ms)} ms`,
        p.spansPerRequest.toFixed(1),
        `${p.spansLost} (${ratio(p.lossRatio)})`,
        `${p.requests}${p.failed ? `, ${p.failed} failed` : ''}${p.droppedIterations ? `, ${p.droppedIterations} dropped` : ''}`,
      ]),
    ),
  };
  const baselines: Table = {
    title: 'Baselines (tracing off)',
    note: 'What the untraced app does at each value: its latency, CPU per request and event-loop delay.',
    header: ['baseline', x, 'p50', 'p99', 'p99.9', 'CPU/req', 'loop p99', 'requests'],
    rows: r.baselines.flatMap((s) =>
      s.points.map((p) => [
        s.label,
        valueText(path, p.values[0]),
        ms(p.latencyMs.p50),
        ms(p.latencyMs.p99),
        ms(p.latencyMs.p999),
        `${ms(p.cpuMsPerRequest)} ms`,
        `${ms(p.eventLoopP99Ms)} ms`,
        String(p.requests),
      ]),
    ),
  };
  return [traced, baselines];
}

function verdictBlock(r: SweepResults): string[] {
  return [...hypothesisLines(r), ...claimLines(r), ...seriesLines(r)];
}

export function sweepMarkdown(r: SweepResults): string {
  const out = [`# tracelab sweep — ${r.runId}`, '', ...facts(r).map(([k, v]) => `- **${k}**: ${v}`), ''];
  if (r.interrupted) out.push(`**Interrupted** by ${r.interrupted.signal} during round ${r.interrupted.round}: figures cover the completed slots.`, '');
  out.push('## What the sweep says', '', ...verdictBlock(r).map((l) => `- ${l}`), '', interleavingText(r), '');
  for (const t of sweepTables(r)) out.push(`## ${t.title}`, '', ...(t.note ? [t.note, ''] : []), markdownTable(t), '');
  out.push('## Caveats', '', ...r.caveats.map((c) => `- ${caveatText(c)}`), '');
  out.push('Plots are in report.html; every variant in full (percentiles, the tail, spans) in variants.html.', '');
  return out.join('\n');
}

/** The plots: Δp50, Δp99, Δp99.9 with bands; CPU per request and event-loop p99 (baselines dashed). */
export function sweepPlots(r: SweepResults): string[] {
  const path = r.knobs[0].path;
  const ticks = r.knobs[0].values.map((v) => valueText(path, v));
  const at = (s: SweepSeries, f: (p: SweepSeries['points'][number]) => PlotLine['points'][number]) =>
    ticks.map((_, i) => {
      const p = s.points.find((q) => q.values[0] === r.knobs[0].values[i]);
      return p ? f(p) : null;
    });
  const xLabel = `${path} (values equally spaced)`;
  const plots = (['p50', 'p99', 'p999'] as const).map((k) =>
    linePlot({
      title: `Δ${QNAME[k]}`,
      xLabel,
      yLabel: `Δ${QNAME[k]} vs baseline (ms)`,
      xTicks: ticks,
      zero: true,
      lines: r.series.map((s) => ({
        label: s.label,
        points: at(s, (p) => (p.overhead ? { y: p.overhead[k].ms, low: p.overhead[k].ciLowMs, high: p.overhead[k].ciHighMs } : null)),
      })),
    }),
  );
  const both = [...r.series, ...r.baselines.map((b) => ({ ...b, dashed: true }))];
  const plain = (f: (p: SweepSeries['points'][number]) => number) =>
    both.map((s) => ({ label: s.label, dashed: 'dashed' in s, points: at(s, (p) => ({ y: f(p) })) }));
  plots.push(linePlot({ title: 'CPU per request', xLabel, yLabel: 'app CPU per request (ms)', xTicks: ticks, lines: plain((p) => p.cpuMsPerRequest) }));
  plots.push(linePlot({ title: 'event-loop delay p99', xLabel, yLabel: 'event-loop delay p99 (ms)', xTicks: ticks, lines: plain((p) => p.eventLoopP99Ms) }));
  return plots;
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
const strong = (s: string) => esc(s).replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>');

export function sweepHtml(r: SweepResults): string {
  const [d50, d99, d999, cpu, loop] = sweepPlots(r);
  const table = (t: Table) =>
    `<h2>${esc(t.title)}</h2>${t.note ? `<p class="note">${esc(t.note)}</p>` : ''}<table><thead><tr>${t.header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${t.rows
      .map((row) => `<tr>${row.map((c, i) => (i === 0 ? `<th>${esc(c)}</th>` : `<td>${strong(c)}</td>`)).join('')}</tr>`)
      .join('')}</tbody></table>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>tracelab sweep — ${esc(r.runId)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1100px;color:#222;padding:0 1rem}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}
table{border-collapse:collapse;margin:.5rem 0;font-variant-numeric:tabular-nums}
th,td{border-bottom:1px solid #ddd;padding:.3rem .6rem;text-align:right}thead th{background:#f5f5f5}tbody th,thead th:first-child{text-align:left}
.note{color:#555;margin:.2rem 0}.facts th{text-align:left;font-weight:600;padding-right:1rem}.facts td{text-align:left}
.caveats{background:#fff8e1;border-left:4px solid #f0b400;padding:.5rem 1rem}
.hypothesis{background:#eef4fb;border-left:4px solid #1f77b4;padding:.5rem 1rem}
</style></head><body>
<h1>tracelab sweep — ${esc(r.runId)}</h1>
<table class="facts">${facts(r)
    .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`)
    .join('')}</table>
${r.interrupted ? `<p><strong>Interrupted</strong> by ${esc(r.interrupted.signal)} during round ${r.interrupted.round}: figures cover the completed slots.</p>` : ''}
<h2>What the sweep says</h2><div class="${r.preset ? 'hypothesis' : ''}"><ul>${verdictBlock(r)
    .map((l) => `<li>${strong(l)}</li>`)
    .join('')}</ul></div><p class="note">${esc(interleavingText(r))}</p>
<h2>Overhead against ${esc(knobName(r.knobs[0].path))}</h2><p class="note">Lines: traced − baseline at the same values; bands and whiskers: the ${Math.round(r.interval.confidence * 100)}% interval (absent where the run has too few requests for that percentile).</p>
${d50}${d99}${d999}
<h2>Costs in the app</h2><p class="note">Solid: traced topologies; dashed: baselines.</p>${cpu}${loop}
${sweepTables(r).map(table).join('\n')}
<h2>Caveats</h2><div class="caveats"><ul>${r.caveats.map((c) => `<li>${esc(caveatText(c))}</li>`).join('')}</ul></div>
<p class="note">Generated by tracelab from sweep.json. Every variant in full: <a href="variants.html">variants.html</a>.</p>
</body></html>
`;
}
