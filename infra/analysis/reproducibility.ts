// Do a spec's intervals hold across runs? Given K runs of the same spec on one machine, each
// run's Δp99 interval should contain the estimate pooled from the other K − 1 runs about as
// often as its confidence says, and the run-to-run spread of Δp99 should be no wider than a
// typical interval. Computed for every interval method, so the choice can be checked.
import type { RunRecord } from '../load/record.ts';
import { differenceInterval, INTERVAL_METHODS, type IntervalMethod, type RoundSamples } from './intervals.ts';
import { quantileSorted, seededRandom } from './percentiles.ts';
import { baselineName, topologySamples } from './samples.ts';

export interface RunSamples {
  readonly runId: string;
  /** Per topology name, its rounds. */
  readonly topologies: Map<string, RoundSamples[]>;
  readonly baseline: string;
}

export function runSamples(record: RunRecord, runDir: string): RunSamples {
  const samples = topologySamples(record, runDir);
  return { runId: record.runId, baseline: baselineName(record), topologies: new Map([...samples].map(([name, s]) => [name, s.rounds])) };
}

export interface MethodReproducibility {
  readonly method: IntervalMethod;
  /** Runs whose interval contains the other runs' pooled estimate. */
  readonly covered: number;
  readonly runs: number;
  readonly medianWidthMs: number;
  readonly intervals: Array<{ runId: string; low: number; high: number; othersPooledMs: number; covers: boolean } | null>;
}

export interface TopologyReproducibility {
  readonly topology: string;
  readonly estimates: Array<{ runId: string; deltaP99Ms: number }>;
  /** max − min of the runs' Δp99. */
  readonly spreadMs: number;
  readonly pooledMs: number;
  readonly methods: MethodReproducibility[];
}

const pooled = (rounds: readonly RoundSamples[]) => {
  const out = new Float64Array(rounds.reduce((n, r) => n + r.sorted.length, 0));
  let k = 0;
  for (const r of rounds) {
    out.set(r.sorted, k);
    k += r.sorted.length;
  }
  return out.sort();
};

const deltaP99 = (traced: readonly RoundSamples[], baseline: readonly RoundSamples[]) =>
  quantileSorted(pooled(traced), 0.99) - quantileSorted(pooled(baseline), 0.99);

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : Number.NaN;
};

export function reproducibility(runs: readonly RunSamples[], methods: readonly IntervalMethod[] = INTERVAL_METHODS): TopologyReproducibility[] {
  if (runs.length < 2) throw new Error('reproducibility needs at least two runs of the same spec');
  const names = [...runs[0].topologies.keys()].filter((n) => n !== runs[0].baseline);
  return names.map((topology) => {
    const of = (run: RunSamples) => ({ traced: run.topologies.get(topology) ?? [], baseline: run.topologies.get(run.baseline) ?? [] });
    const estimates = runs.map((run) => ({ runId: run.runId, deltaP99Ms: deltaP99(of(run).traced, of(run).baseline) }));
    const all = runs.map(of);
    const pooledMs = deltaP99(
      all.flatMap((x) => x.traced),
      all.flatMap((x) => x.baseline),
    );
    const perMethod = methods.map((method): MethodReproducibility => {
      const intervals = runs.map((run, i) => {
        const interval = differenceInterval(of(run).traced, of(run).baseline, 0.99, {
          method,
          random: seededRandom(`${run.runId}:${method}`),
          replicates: 400,
        });
        if (!interval) return null;
        const others = all.filter((_, j) => j !== i);
        const othersPooledMs = deltaP99(
          others.flatMap((x) => x.traced),
          others.flatMap((x) => x.baseline),
        );
        return {
          runId: run.runId,
          low: interval.low,
          high: interval.high,
          othersPooledMs,
          covers: interval.low <= othersPooledMs && othersPooledMs <= interval.high,
        };
      });
      const present = intervals.filter((x): x is NonNullable<typeof x> => x !== null);
      return {
        method,
        covered: present.filter((x) => x.covers).length,
        runs: runs.length,
        medianWidthMs: median(present.map((x) => x.high - x.low)),
        intervals,
      };
    });
    const values = estimates.map((e) => e.deltaP99Ms);
    return { topology, estimates, spreadMs: Math.max(...values) - Math.min(...values), pooledMs, methods: perMethod };
  });
}

/** The targets: at least 80% of the runs cover the others' pooled estimate, and the spread is at most the median interval width. */
export function meetsTargets(t: TopologyReproducibility, method: IntervalMethod): { coverage: boolean; spread: boolean } {
  const m = t.methods.find((x) => x.method === method);
  if (!m) return { coverage: false, spread: false };
  return { coverage: m.covered >= Math.ceil(0.8 * m.runs), spread: t.spreadMs <= m.medianWidthMs };
}
