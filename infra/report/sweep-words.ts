// What a sweep report says in sentences: the values, the hypothesis and its verdict, and how
// each topology's overhead moved across the values. Every format (terminal, markdown, HTML)
// takes its words from here.
import type { SweepValue } from '../../contracts/spec/sweep-paths.ts';
import type { ClaimVerdict, OverheadChange, SweepResults, SweepSeries } from '../analysis/sweep-results.ts';
import { signedMs } from './format.ts';

const UNITS = ['B', 'KiB', 'MiB', 'GiB'];

/** A value as a person reads it: bytes in KiB/MiB for byte fields. */
export function valueText(path: string, value: SweepValue | null): string {
  if (value === null) return 'any';
  if (typeof value === 'number' && /Bytes$/.test(path)) {
    let v = value;
    let unit = 0;
    while (v >= 1024 && unit < UNITS.length - 1 && v % 1024 === 0) {
      v /= 1024;
      unit++;
    }
    return `${v} ${UNITS[unit]}`;
  }
  return String(value);
}

export const knobName = (path: string) => path.split('.').at(-1) ?? path;

export function knobsText(r: SweepResults): string {
  return r.knobs.map((k) => `${k.path} = ${k.values.map((v) => valueText(k.path, v)).join(', ')}`).join('; ');
}

export function interleavingText(r: SweepResults): string {
  const variants = r.series.reduce((n, s) => n + s.points.length, 0) + r.baselines.reduce((n, s) => n + s.points.length, 0);
  return `Every value ran in every round (${variants} slots per round, ${r.roundsRun} round(s)), all in one new seeded order per round, so drift and warm-up fall on every value alike. Knobs of the app's work (app.workload, load) give each value its own baseline; SDK and instrumentation knobs share one.`;
}

function changeText(path: string, k: 'p50' | 'p99', c: OverheadChange | undefined): string | undefined {
  if (!c || !Number.isFinite(c.ms)) return undefined;
  const span = `from ${valueText(path, c.from)} to ${valueText(path, c.to)}`;
  if (c.ciLowMs === undefined || c.ciHighMs === undefined) return `Δ${k} moves by ${signedMs(c.ms)} ms ${span} (no interval)`;
  const interval = `[${signedMs(c.ciLowMs)}, ${signedMs(c.ciHighMs)}]`;
  const resolved = c.ciLowMs > 0 || c.ciHighMs < 0;
  return resolved
    ? `Δ${k} moves by **${signedMs(c.ms)} ms ${interval}** ${span}`
    : `Δ${k} moves by ${signedMs(c.ms)} ms ${interval} ${span}, not resolved from no change`;
}

/** One line per traced series: where its overhead starts and ends and whether it moved. */
export function seriesLines(r: SweepResults): string[] {
  const path = r.knobs[0].path;
  return r.series.map((s: SweepSeries) => {
    const first = s.points[0];
    const last = s.points.at(-1)!;
    const p50 = (p: typeof first) => (p.overhead ? `${signedMs(p.overhead.p50.ms)} ms` : '—');
    const moved = (['p50', 'p99'] as const).map((k) => changeText(path, k, s.change?.[k])).filter(Boolean);
    const range =
      s.points.length > 1
        ? `Δp50 ${p50(first)} at ${valueText(path, first.values[0])} → ${p50(last)} at ${valueText(path, last.values[0])}`
        : `Δp50 ${p50(first)}`;
    return `${s.label}: ${range}${moved.length ? `; ${moved.join('; ')}` : ''}.`;
  });
}

const CONSTANCY = {
  constant: 'constant',
  changes: 'changes',
  undecided: 'cannot tell (interval wider than the tolerance)',
  'no-interval': 'no interval',
};

/** The hypothesis's verdict in words, from the intervals. */
export function claimLines(r: SweepResults): string[] {
  const c: ClaimVerdict | undefined = r.claim;
  if (!c) return [];
  const path = r.knobs[0].path;
  const head = {
    confirmed: `**The data confirm a constant overhead**: for every topology the change of Δp50 and Δp99 between the first and the last value lies within ±${c.toleranceMs} ms.`,
    refuted: `**The data refute a constant overhead**: for ${c.series
      .filter((s) => s.constancy === 'changes')
      .map((s) => s.label)
      .join(', ')} the overhead changes with ${knobName(path)} (the interval of its change excludes zero).`,
    undecided: `**The data neither confirm nor refute a constant overhead**: no change is resolved, but not every interval of the change lies within ±${c.toleranceMs} ms — more rounds (load.rounds) would tell.`,
  }[c.overall];
  const rows = c.series.map((s) => {
    const band = s.band.map(
      (b) =>
        `${valueText(path, b.value)}: ${b.verdict === 'within' ? 'within' : b.verdict === 'no-interval' ? 'no interval' : `${b.verdict} the claimed ${c.lowMs}–${c.highMs} ms`}`,
    );
    return `${s.label}: ${CONSTANCY[s.constancy]}; Δp50 against the claimed size — ${band.join(', ')}.`;
  });
  return [head, ...rows];
}

export function hypothesisLines(r: SweepResults): string[] {
  if (!r.preset) return [];
  return [`Hypothesis (preset ${r.preset.name}): ${r.preset.hypothesis}`, `Setup: ${r.preset.setup}.`];
}
