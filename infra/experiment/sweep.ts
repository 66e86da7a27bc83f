// A sweep as one lab run: every combination of the knobs' values becomes its own variant of
// each topology — a topology under a name of its own, with its own workload and load — and
// all variants run once per round in one seeded order, so drift and warm-up fall on every
// value alike (the values are interleaved, never run one block after another). A knob that
// changes the app's work (app.workload.*, load.*) gives every value its own baseline; a
// knob of one traced topology (sdk.*, instrumentation.*) leaves the baseline as it is.
import { durationMs } from '../../contracts/duration.ts';
import { baselineGroup } from '../../contracts/spec/runtime-rules.ts';
import type { LoadSpec, Topology, TraceLab, Workload } from '../../contracts/spec/schema.ts';
import { type ResolvedKnob, resolveKnob, SweepError, type SweepValue, specWith } from '../../contracts/spec/sweep-paths.ts';
import type { SweepRecord, SweepVariantRecord } from '../load/sweep-record.ts';
import { quickDoc } from './run.ts';
import { selectTopologies } from './select.ts';
import { presetNamed, type SweepPreset } from './sweep-presets.ts';

/** Slots per round at most: a sweep beyond it would run for hours. */
export const MAX_VARIANTS = 60;

export interface SweepRequest {
  readonly doc: TraceLab;
  /** From --vary: values as text, typed by the field they go to. */
  readonly vary?: ReadonlyArray<{ readonly path: string; readonly values: readonly string[] }>;
  readonly preset?: string;
  /** Keep only these spec topologies (by name). */
  readonly topologies?: readonly string[];
  /** Three short rounds (lab --quick), after the preset's load. */
  readonly quick?: boolean;
}

/** What a variant's slots run with, where it differs from the spec's. */
export interface SlotOverrides {
  readonly workload: Workload;
  readonly load: LoadSpec;
}

export interface SweepPlan {
  /** The spec with one topology per variant (and the preset's load). */
  readonly doc: TraceLab;
  readonly record: SweepRecord;
  readonly overrides: ReadonlyMap<string, SlotOverrides>;
}

/** "--vary app.workload.payloadBytes=0,1KiB,1MiB" → path and values. */
export function parseVary(text: string): { path: string; values: string[] } {
  const at = text.indexOf('=');
  if (at <= 0 || at === text.length - 1)
    throw new SweepError([`--vary ${text}: write <spec path>=<v1>,<v2>,... e.g. --vary app.workload.payloadBytes=0,1KiB,1MiB`]);
  return {
    path: text.slice(0, at).trim(),
    values: text
      .slice(at + 1)
      .split(',')
      .map((v) => v.trim()),
  };
}

export function planSweep(request: SweepRequest): SweepPlan {
  const fromSpec = request.doc.spec.sweep;
  if (request.preset && request.vary?.length) throw new SweepError(['give either --preset or --vary, not both (a preset brings its own knobs)']);
  const presetName = request.preset ?? (request.vary?.length ? undefined : fromSpec?.preset);
  const preset = presetName ? presetOrError(presetName) : undefined;
  // Knobs as text (--vary, spec.sweep.vary: typed by their field) or a preset's typed values.
  const knobsText = request.vary?.length ? request.vary : request.preset ? undefined : fromSpec?.vary.length ? fromSpec.vary.map(parseVary) : undefined;
  const knobsData = knobsText ? undefined : preset?.knobs;
  if (!knobsText && !knobsData?.length)
    throw new SweepError(['nothing to vary: give --vary <path>=<v1>,<v2>,..., --preset <name> (tracelab sweep --list-presets), or spec.sweep in the spec']);

  const names = request.topologies ?? (preset ? kindsOf(request.doc, preset) : undefined);
  let chosen = preset ? withPreset(request.doc, preset) : request.doc;
  try {
    chosen = names ? selectTopologies(chosen, names) : chosen;
  } catch (error) {
    throw new SweepError([(error as Error).message]);
  }
  if (!chosen.spec.topologies.some((t) => t.topology !== 'baseline'))
    throw new SweepError(['no traced topology left to vary: a sweep compares traced topologies with their baseline (check --topologies)']);
  const base = request.quick ? quickDoc(chosen) : chosen;
  const knobs = (knobsText ?? knobsData!).map((k) => resolveKnob(base, k.path, k.values, Boolean(knobsText)));
  const paths = new Set<string>();
  for (const k of knobs) {
    if (paths.has(k.path)) throw new SweepError([`spec.${k.path}: varied twice; give all its values in one --vary`]);
    paths.add(k.path);
  }

  // Every combination of values, checked by the schema and the cross-field rules.
  const combinations = product(knobs.map((k) => k.values));
  const docs: TraceLab[] = [];
  const problems: string[] = [];
  for (const values of combinations) {
    const checked = specWith(
      base,
      knobs.map((k, i) => [k, values[i]] as const),
    );
    if (checked.doc) docs.push(checked.doc);
    else problems.push(...checked.problems);
  }
  if (problems.length) throw new SweepError([...new Set(problems)]);

  const variants = expand(base, knobs, combinations, docs);
  if (variants.length > MAX_VARIANTS)
    throw new SweepError([`${variants.length} variants per round (topologies × values); at most ${MAX_VARIANTS}: give fewer values or --topologies`]);
  const topologies = variants.map((v) => v.topology);
  return {
    doc: { ...base, spec: { ...base.spec, topologies } },
    overrides: new Map(variants.map((v) => [v.record.name, { workload: v.workload, load: v.load }])),
    record: {
      ...(preset ? { preset: { name: preset.name, hypothesis: preset.hypothesis, claim: preset.claim, setup: presetSetup(preset, base) } } : {}),
      knobs: knobs.map((k) => ({ path: k.path, scope: k.scope, values: k.values })),
      variants: variants.map((v) => v.record),
      interleaved: true,
    },
  };
}

interface Variant {
  readonly topology: Topology;
  readonly workload: Workload;
  readonly load: LoadSpec;
  readonly record: SweepVariantRecord;
}

function expand(base: TraceLab, knobs: readonly ResolvedKnob[], combinations: SweepValue[][], docs: readonly TraceLab[]): Variant[] {
  const out: Variant[] = [];
  const names = new Set<string>();
  const unique = (wanted: string) => {
    let name = wanted;
    for (let n = 2; names.has(name); n++) name = `${wanted}-v${n}`;
    names.add(name);
    return name;
  };
  // Knobs that change what a baseline does: each of their combinations gets its own baseline.
  const baselineKnobs = knobs.map((k) => k.scope !== 'topology');
  const baselines = new Map<string, string>(); // group + baseline-knob values → variant name
  const key = (values: readonly (SweepValue | null)[]) => JSON.stringify(values);

  base.spec.topologies.forEach((topology, index) => {
    if (topology.topology !== 'baseline') return;
    const seen = new Set<string>();
    combinations.forEach((values, c) => {
      const own = values.map((v, i) => (baselineKnobs[i] ? v : null));
      if (seen.has(key(own))) return;
      seen.add(key(own));
      const doc = docs[c];
      const name = unique(variantName(topology.name, knobs, own));
      baselines.set(`${baselineGroup(topology)}|${key(own)}`, name);
      out.push(variantOf(doc, doc.spec.topologies[index], name, topology, own));
    });
  });
  base.spec.topologies.forEach((topology, index) => {
    if (topology.topology === 'baseline') return;
    // Knobs that reach this topology; the others keep their first value and do not multiply it.
    const reaches = knobs.map((k) => k.scope !== 'topology' || k.topologies.includes(index));
    const seen = new Set<string>();
    combinations.forEach((values, c) => {
      const own = values.map((v, i) => (reaches[i] ? v : null));
      if (seen.has(key(own))) return;
      seen.add(key(own));
      const doc = docs[c];
      const baseline = baselines.get(`${baselineGroup(topology)}|${key(values.map((v, i) => (baselineKnobs[i] ? v : null)))}`);
      if (!baseline) throw new SweepError([`topology ${topology.name} has no baseline of its runtime in the sweep; keep one (tracelab validate says which)`]);
      const name = unique(variantName(topology.name, knobs, own));
      out.push(variantOf(doc, doc.spec.topologies[index], name, topology, own, baseline));
    });
  });
  return out;
}

function variantOf(doc: TraceLab, resolved: Topology, name: string, from: Topology, values: Array<SweepValue | null>, baseline?: string): Variant {
  const { workload } = doc.spec.app;
  const { load } = doc.spec;
  return {
    topology: { ...resolved, name },
    workload,
    load,
    record: {
      name,
      topology: from.name,
      kind: from.topology,
      values,
      ...(baseline ? { baseline } : {}),
      workload,
      load: { rate: load.rate, vus: load.vus, thinkTime: load.thinkTime },
    },
  };
}

/** "inprocess" + (1048576, false) → "inprocess-1048576-captureio-false": readable in logs and file names. */
function variantName(topology: string, knobs: readonly ResolvedKnob[], values: ReadonlyArray<SweepValue | null>): string {
  const parts = values.flatMap((v, i) => {
    if (v === null) return [];
    const text = typeof v === 'boolean' ? `${knobs[i].field.at(-1)}-${v}` : String(v);
    return [text.toLowerCase().replace(/[^a-z0-9]+/g, '-')];
  });
  return [topology, ...parts].join('-').replace(/-+$/, '');
}

function product(lists: ReadonlyArray<readonly SweepValue[]>): SweepValue[][] {
  return lists.reduce<SweepValue[][]>((acc, list) => acc.flatMap((prefix) => list.map((v) => [...prefix, v])), [[]]);
}

function presetOrError(name: string): SweepPreset {
  try {
    return presetNamed(name);
  } catch (error) {
    throw new SweepError([(error as Error).message]);
  }
}

/** The preset's load over the spec's, checked by the schema like any spec. */
function withPreset(doc: TraceLab, preset: SweepPreset): TraceLab {
  const load = { ...doc.spec.load, ...preset.load, precision: undefined };
  const maxVUs = Math.max(load.maxVUs, load.preAllocatedVUs);
  const topologies = doc.spec.topologies.map((t) => (t.topology === 'baseline' || !preset.sdk ? t : { ...t, sdk: { ...t.sdk, ...preset.sdk } }));
  return { ...doc, spec: { ...doc.spec, topologies, load: { ...load, maxVUs } } };
}

/** The spec's topologies of the preset's kinds (its baselines always). */
function kindsOf(doc: TraceLab, preset: SweepPreset): string[] {
  return doc.spec.topologies.filter((t) => t.topology === 'baseline' || preset.kinds.includes(t.topology)).map((t) => t.name);
}

function presetSetup(preset: SweepPreset, doc: TraceLab): string {
  const l = doc.spec.load;
  const arrival = l.scenario === 'closed' ? `closed model (the spec's), ${l.vus} users` : `${l.rate} req/s`;
  const sdk = preset.sdk
    ? `; every traced topology with ${Object.entries(preset.sdk)
        .map(([k, v]) => `sdk.${k} ${v}`)
        .join(', ')}`
    : '';
  return `${arrival}, ${l.warmup} warm-up + ${l.duration} measured per slot, ${l.rounds} rounds${sdk}; topologies ${doc.spec.topologies.map((t) => t.name).join(', ')} (kinds ${preset.kinds.join(', ')} of the spec)`;
}

/** Minutes a sweep takes: slots × (warm-up + measured + the last requests' LLM wait + start/drain). */
export function estimateMinutes(plan: Pick<SweepPlan, 'doc' | 'overrides'>, rounds = plan.doc.spec.load.rounds): number {
  const seconds = plan.doc.spec.topologies.reduce((sum, t) => {
    const o = plan.overrides.get(t.name);
    const load = o?.load ?? plan.doc.spec.load;
    const workload = o?.workload ?? plan.doc.spec.app.workload;
    // Measured on this project's machines: ~4 s per node slot and ~7 s per python slot to start, flush and drain.
    const fixed = t.runtime === 'python' ? 7 : 4;
    return sum + (durationMs(load.warmup) + durationMs(load.duration) + durationMs(workload.llmLatency)) / 1000 + fixed;
  }, 0);
  return (seconds * rounds) / 60;
}
