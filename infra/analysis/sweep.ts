// A sweep's results laid out against its values: the run's results (every variant analysed
// as a topology against its own baseline, analyze.ts) regrouped by the spec topology each
// variant came from, one series per combination of the other knobs, plus how much each
// overhead moved from the first value to the last (trend.ts) and the preset's claim judged.
import type { SweepValue } from '../../contracts/spec/sweep-paths.ts';
import type { RunRecord } from '../load/record.ts';
import type { SweepVariantRecord } from '../load/sweep-record.ts';
import { judgeClaim } from './claim.ts';
import { QUANTILES, type Results, type TopologyResult } from './results.ts';
import { topologySamples } from './samples.ts';
import { type OverheadChange, SWEEP_QUANTILES, type SweepPoint, type SweepResults, type SweepSeries } from './sweep-results.ts';
import { changeOfOverhead } from './trend.ts';

export function sweepResults(record: RunRecord, results: Results, runDir: string): SweepResults {
  const sweep = record.sweep;
  if (!sweep) throw new Error(`run ${record.runId} is not a sweep (its record has no sweep section)`);
  const byName = new Map(results.topologies.map((t) => [t.name, t]));
  const samples = topologySamples(record, runDir);
  const measured = sweep.variants.filter((v) => byName.get(v.name)?.requests);
  const point = (v: SweepVariantRecord): SweepPoint => pointOf(v, byName.get(v.name)!, v.baseline ? byName.get(v.baseline) : undefined);
  const seriesOf = (variants: SweepVariantRecord[]): SweepSeries[] => {
    const groups = new Map<string, SweepVariantRecord[]>();
    for (const v of variants) {
      const key = JSON.stringify([v.topology, v.values.slice(1)]);
      groups.set(key, [...(groups.get(key) ?? []), v]);
    }
    return [...groups.values()].map((group) => {
      const first = group[0];
      const order = (v: SweepVariantRecord) => indexOfValue(sweep.knobs[0].values, v.values[0]);
      const sorted = [...group].sort((a, b) => order(a) - order(b));
      const fixed = sweep.knobs.slice(1).map((k, i) => ({ path: k.path, value: first.values[i + 1] }));
      const shown = fixed.filter((f) => f.value !== null);
      return {
        topology: first.topology,
        kind: first.kind,
        fixed,
        label: [first.topology, ...shown.map((f) => `${f.path.split('.').at(-1)}=${f.value}`)].join(', '),
        points: sorted.map(point),
        change: first.kind === 'baseline' || sorted.length < 2 ? undefined : changeOf(sorted[0], sorted.at(-1)!, samples, results.interval.confidence),
      };
    });
  };
  const series = seriesOf(measured.filter((v) => v.kind !== 'baseline'));
  const claim = sweep.preset?.claim ? judgeClaim(sweep.preset.claim, series) : undefined;
  return {
    runId: results.runId,
    startedAt: results.startedAt,
    finishedAt: results.finishedAt,
    backend: results.backend,
    backendInfo: results.backendInfo,
    quick: results.quick,
    specName: results.specName,
    machine: results.machine,
    pinning: results.pinning,
    interval: results.interval,
    interrupted: results.interrupted,
    preset: sweep.preset,
    knobs: sweep.knobs,
    roundsRun: results.load.roundsRun,
    load: results.load,
    series,
    baselines: seriesOf(measured.filter((v) => v.kind === 'baseline')),
    ...(claim ? { claim } : {}),
    caveats: results.caveats,
  };
}

function pointOf(v: SweepVariantRecord, t: TopologyResult, base: TopologyResult | undefined): SweepPoint {
  const pick = <T>(f: (k: (typeof SWEEP_QUANTILES)[number]) => T) =>
    Object.fromEntries(SWEEP_QUANTILES.map((k) => [k, f(k)])) as Record<(typeof SWEEP_QUANTILES)[number], T>;
  return {
    variant: v.name,
    values: v.values,
    requests: t.requests,
    failed: t.failed,
    droppedIterations: t.droppedIterations,
    latencyMs: pick((k) => t.latencyMs[k]),
    ...(t.overhead ? { overhead: pick((k) => t.overhead![k]) } : {}),
    cpuMsPerRequest: t.app.cpuMsPerRequest,
    ...(base ? { cpuOverheadMsPerRequest: t.app.cpuMsPerRequest - base.app.cpuMsPerRequest } : {}),
    eventLoopP99Ms: t.app.eventLoopP99Ms,
    eventLoopMaxMs: t.app.eventLoopMaxMs,
    spansPerRequest: t.spans.perRequest,
    spansLost: t.spans.lost,
    lossRatio: t.spans.lossRatio,
    ...(t.app.exportThreadCpuMsPerRequest !== undefined ? { exportThreadCpuMsPerRequest: t.app.exportThreadCpuMsPerRequest } : {}),
    ...(t.app.gilContention !== undefined ? { gilContention: t.app.gilContention } : {}),
  };
}

function changeOf(first: SweepVariantRecord, last: SweepVariantRecord, samples: ReturnType<typeof topologySamples>, confidence: number) {
  const rounds = (name: string | undefined) => (name ? (samples.get(name)?.rounds ?? []) : []);
  const out: Partial<Record<'p50' | 'p99', OverheadChange>> = {};
  for (const k of ['p50', 'p99'] as const) {
    const interval = changeOfOverhead(
      { traced: rounds(first.name), baseline: rounds(first.baseline) },
      { traced: rounds(last.name), baseline: rounds(last.baseline) },
      QUANTILES[k],
      confidence,
    );
    const estimate = interval?.estimate ?? Number.NaN;
    out[k] = {
      from: first.values[0] as SweepValue,
      to: last.values[0] as SweepValue,
      ms: estimate,
      ...(interval ? { ciLowMs: interval.low, ciHighMs: interval.high } : {}),
    };
  }
  return out;
}

function indexOfValue(values: readonly SweepValue[], value: SweepValue | null): number {
  const i = value === null ? -1 : values.indexOf(value);
  return i < 0 ? Number.MAX_SAFE_INTEGER : i;
}
