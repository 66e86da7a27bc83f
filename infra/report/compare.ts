// Two runs side by side: the same topology's p50/p99 and overhead in each, and the change.
import type { Results } from '../analysis/results.ts';
import { ms, signedMs } from './format.ts';
import { markdownTable } from './markdown.ts';

export function compareRuns(a: Results, b: Results): string {
  const names = [...new Set([...a.topologies, ...b.topologies].map((t) => t.name))];
  const rows = names.map((name) => {
    const ta = a.topologies.find((t) => t.name === name);
    const tb = b.topologies.find((t) => t.name === name);
    const d = (f: (t: NonNullable<typeof ta>) => number | undefined) =>
      ta && tb && f(ta) !== undefined && f(tb) !== undefined ? signedMs(f(tb)! - f(ta)!) : '—';
    return [
      name,
      ta ? ms(ta.latencyMs.p99) : '—',
      tb ? ms(tb.latencyMs.p99) : '—',
      d((t) => t.latencyMs.p99),
      ta?.overhead ? ms(ta.overhead.p99.ms) : '—',
      tb?.overhead ? ms(tb.overhead.p99.ms) : '—',
      d((t) => t.overhead?.p99.ms),
      ta ? String(ta.spans.lost) : '—',
      tb ? String(tb.spans.lost) : '—',
      ta ? ms(ta.exportLagMs.p99) : '—',
      tb ? ms(tb.exportLagMs.p99) : '—',
    ];
  });
  const warn = [a, b].some((r) => r.machine.cpus !== a.machine.cpus || r.machine.cpuModel !== a.machine.cpuModel)
    ? '\nnote: the runs were on different machines; compare with care.'
    : '';
  // Runs against different backends (stand-in vs Langfuse) are the usual reason to compare.
  const backend = (r: Results) => (r.backend === 'ingest-sink' ? 'ingest-sink (stand-in)' : `Langfuse ${r.backendInfo?.version ?? ''}`.trim());
  const header = ['topology', 'p99 A', 'p99 B', 'B − A', 'Δp99 A', 'Δp99 B', 'B − A', 'lost A', 'lost B', 'lag p99 A', 'lag p99 B'];
  return `Comparing ${a.runId} (A, ${backend(a)}) with ${b.runId} (B, ${backend(b)}), latency in ms:\n\n${markdownTable({ title: '', header, rows })}${warn}\n`;
}
