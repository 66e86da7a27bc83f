// The reproducibility table: per traced topology, each run's Δp99 and, per interval method,
// how many runs' intervals covered the other runs' pooled estimate.
import { DEFAULT_INTERVAL_METHOD } from '../analysis/intervals.ts';
import { meetsTargets, type TopologyReproducibility } from '../analysis/reproducibility.ts';
import { ms, signedMs } from './format.ts';
import { markdownTable } from './markdown.ts';

export function reproducibilityText(rows: readonly TopologyReproducibility[]): string {
  const runs = rows[0]?.estimates.length ?? 0;
  const estimates = markdownTable({
    title: '',
    header: ['topology', ...rows[0].estimates.map((e) => e.runId), 'pooled', 'spread'],
    rows: rows.map((t) => [t.topology, ...t.estimates.map((e) => signedMs(e.deltaP99Ms)), signedMs(t.pooledMs), ms(t.spreadMs)]),
  });
  const coverage = markdownTable({
    title: '',
    header: ['topology', 'method', `covers others' pooled Δp99 (of ${runs})`, 'median interval width', 'spread ≤ width', 'targets met'],
    rows: rows.flatMap((t) =>
      t.methods.map((m) => {
        const met = meetsTargets(t, m.method);
        return [
          t.topology,
          `${m.method}${m.method === DEFAULT_INTERVAL_METHOD ? ' (used)' : ''}`,
          `${m.covered}/${m.runs}`,
          `${ms(m.medianWidthMs)} ms`,
          met.spread ? 'yes' : 'no',
          met.coverage && met.spread ? 'yes' : 'no',
        ];
      }),
    ),
  });
  const detail = rows
    .map((t) => {
      const m = t.methods.find((x) => x.method === DEFAULT_INTERVAL_METHOD)!;
      return `${t.topology}: ${m.intervals.map((i) => (i ? `[${signedMs(i.low)}, ${signedMs(i.high)}] vs ${signedMs(i.othersPooledMs)} ${i.covers ? '✓' : '✗'}` : 'no interval')).join('; ')}`;
    })
    .join('\n');
  return `Δp99 per run (ms):\n\n${estimates}\n\nCoverage of the other runs' pooled estimate (targets: at least 80% of runs, and spread ≤ median width):\n\n${coverage}\n\n${DEFAULT_INTERVAL_METHOD} intervals per run vs the others' pooled estimate:\n${detail}\n`;
}
