// What a sweep may vary, checked against the schema itself: a path below `spec` names one
// scalar field (a list is entered with a selector: topologies[*], topologies[2],
// topologies[inprocess]); each value is set into the parsed spec and the whole spec parsed
// again, so a value the schema or a cross-field rule refuses is an error naming the path, the
// value and what is allowed — the same words `tracelab validate` uses.
import { closest, distance } from 'fastest-levenshtein';
import type { z } from 'zod';
import { describeIssue, formatPath } from './problems.ts';
import { type TraceLab, traceLabSchema } from './schema.ts';

export type SweepValue = string | number | boolean;

/**
 * How far a knob's effect reaches, which decides how a sweep runs it:
 * topology — one traced topology's SDK or instrumentation: its baseline does the same work at
 *   every value, so one baseline serves all;
 * workload — the app's work (app.workload.*): every topology, baseline included, runs at each value;
 * load — k6's arrival (load.rate, vus, thinkTime): likewise, per slot.
 */
export type KnobScope = 'topology' | 'workload' | 'load';

export interface ResolvedKnob {
  /** As the user wrote it, without a leading "spec.". */
  readonly path: string;
  readonly scope: KnobScope;
  /** Property path below spec; for topology knobs, below one topology entry. */
  readonly field: readonly string[];
  /** Topology indices the knob applies to (topology scope only). */
  readonly topologies: readonly number[];
  /** What the field accepts, in words (for errors and the report). */
  readonly allowed: string;
  readonly values: readonly SweepValue[];
}

export class SweepError extends Error {
  readonly problems: readonly string[];
  constructor(problems: string[]) {
    super(`the sweep cannot run (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'SweepError';
    this.problems = problems;
  }
}

const LOAD_FIELDS = ['rate', 'vus', 'thinkTime'];
const TOPOLOGY_FIELDS = ['sdk', 'instrumentation', 'sdkVersion'];
const SWEEPABLE =
  'app.workload.<field>, topologies[<which>].sdk.<field>, topologies[<which>].instrumentation.<field>, topologies[<which>].sdkVersion, load.rate, load.vus, load.thinkTime';

type Node = z.ZodType & { _zod: { def: any } };
const defOf = (n: Node | undefined): any => n?._zod?.def;

/** Strips defaults, optionals and pipes down to the schema that holds the value. */
function unwrap(node: Node | undefined): Node | undefined {
  let n = node;
  for (let i = 0; i < 20 && n; i++) {
    const def = defOf(n);
    if (['default', 'prefault', 'optional', 'nullable', 'readonly', 'catch'].includes(def.type)) n = def.innerType;
    else if (def.type === 'pipe') n = def.in;
    else return n;
  }
  return n;
}

const SEGMENT = /^([A-Za-z][\w-]*)(?:\[([^\]]+)\])?$/;

/** "topologies[inprocess].sdk.batchSize" → segments with their selectors. */
function segmentsOf(path: string): Array<{ key: string; select?: string }> | undefined {
  const parts = path.split('.');
  const out: Array<{ key: string; select?: string }> = [];
  for (const part of parts) {
    const m = SEGMENT.exec(part);
    if (!m) return undefined;
    out.push({ key: m[1], select: m[2] });
  }
  return out;
}

/** Words for what a scalar field accepts. */
export function allowedValues(leaf: Node): string {
  const def = defOf(leaf);
  switch (def.type) {
    case 'enum':
      return `one of ${Object.values(def.entries as Record<string, string>)
        .map((v) => JSON.stringify(v))
        .join(' | ')}`;
    case 'literal':
      return `exactly ${(def.values as unknown[]).map((v) => JSON.stringify(v)).join(' | ')}`;
    case 'union': {
      const literals = (def.options as Node[]).flatMap((o) => (defOf(o).type === 'literal' ? (defOf(o).values as unknown[]) : []));
      return literals.length === def.options.length ? `one of ${literals.map((v) => JSON.stringify(v)).join(' | ')}` : 'a value of several kinds';
    }
    case 'boolean':
      return 'true | false';
    case 'number': {
      const n = leaf as unknown as { minValue: number | null; maxValue: number | null; isInt: boolean };
      const range = [Number.isFinite(n.minValue) ? `from ${n.minValue}` : '', Number.isFinite(n.maxValue) ? `to ${n.maxValue}` : ''].filter(Boolean).join(' ');
      return `${n.isInt ? 'a whole number' : 'a number'}${range ? ` ${range}` : ''}`;
    }
    case 'string': {
      // A string field's own message says what it wants ("must be a duration such as ...").
      const probe = leaf.safeParse('\u0000');
      return probe.success ? 'any text' : (probe.error.issues[0]?.message ?? 'text');
    }
    default:
      return def.type;
  }
}

/** The CLI gives text: make it the field's type where it reads as one ("1024" → 1024, "1MiB" → 1048576). */
export function coerceValue(leaf: Node, text: string): SweepValue {
  const type = defOf(leaf).type;
  const literalNumbers = type === 'union' && (defOf(leaf).options as Node[]).every((o) => typeof defOf(o).values?.[0] === 'number');
  if (type === 'number' || literalNumbers) {
    const size = /^(\d+(?:\.\d+)?)\s*(KiB|MiB|GiB)$/.exec(text);
    if (size) return Math.round(Number(size[1]) * { KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 }[size[2] as 'KiB' | 'MiB' | 'GiB']);
    const n = Number(text);
    return text.trim() !== '' && Number.isFinite(n) ? n : text;
  }
  if (type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

/**
 * Resolves a knob's path against the schema and the spec's topologies; checks nothing about
 * the values yet (checkKnobValues does). Throws SweepError naming what is wrong and what is allowed.
 */
export function resolveKnob(doc: TraceLab, rawPath: string, values: readonly (SweepValue | string)[], fromText = false): ResolvedKnob {
  const path = rawPath.trim().replace(/^spec\./, '');
  const segments = segmentsOf(path);
  if (!segments)
    throw new SweepError([
      `${rawPath}: not a spec path; write fields joined by "." with [*], [index] or [name] on a list, e.g. app.workload.payloadBytes or topologies[*].sdk.batchSize`,
    ]);
  let node = unwrap(defOf(traceLabSchema).in);
  node = unwrap(defOf(node).shape.spec);
  const walked: string[] = ['spec'];
  let topologies: number[] = [];
  let topologyDepth = -1;
  for (const [i, { key, select }] of segments.entries()) {
    const def = defOf(node);
    if (def?.type !== 'object') throw new SweepError([`${walked.join('.')}: is a single value, it has no field "${key}"`]);
    const shape = def.shape as Record<string, Node>;
    if (!(key in shape)) {
      const allowed = Object.keys(shape);
      const guess = closest(key, allowed);
      const hint = distance(key, guess) <= Math.max(2, key.length / 3) ? `; did you mean "${guess}"?` : '';
      throw new SweepError([`${walked.join('.')}.${key}: no such field${hint} Allowed here: ${allowed.join(', ')}`]);
    }
    node = unwrap(shape[key]);
    walked.push(key);
    if (defOf(node).type === 'array') {
      if (select === undefined)
        throw new SweepError([`${walked.join('.')}: is a list; say which entries, e.g. ${key}[*] (every traced one), ${key}[0] or ${key}[<name>]`]);
      if (key !== 'topologies') throw new SweepError([`${walked.join('.')}: only spec.topologies entries can be selected in a sweep`]);
      topologies = selectTopologies(doc, select, walked.join('.'));
      topologyDepth = i;
      walked[walked.length - 1] = `${key}[${select}]`;
      node = unwrap(defOf(node).element);
    } else if (select !== undefined) {
      throw new SweepError([`${walked.join('.')}: is not a list; drop "[${select}]"`]);
    }
  }
  const leafType = defOf(node).type;
  if (leafType === 'object' || leafType === 'array') {
    const fields = leafType === 'object' ? ` sweep one of its fields: ${Object.keys(defOf(node).shape).join(', ')}` : '';
    throw new SweepError([`${walked.join('.')}: is not a single value;${fields}`]);
  }
  const leaf = node as Node;
  const keys = segments.map((s) => s.key);
  const scope = scopeOf(keys);
  if (!scope) throw new SweepError([`spec.${path}: cannot be swept slot by slot (the lab runs it once for the whole run). Sweepable: ${SWEEPABLE}`]);
  if (scope === 'topology' && !TOPOLOGY_FIELDS.includes(keys[topologyDepth + 1]))
    throw new SweepError([
      `spec.${path}: a topology's ${keys[topologyDepth + 1]} changes which app or baseline it is; compare those side by side as topologies. Sweepable per topology: sdk.*, instrumentation.*, sdkVersion`,
    ]);
  const allowed = allowedValues(leaf);
  const typed = values.map((v) => (fromText && typeof v === 'string' ? coerceValue(leaf, v) : v));
  if (typed.length === 0) throw new SweepError([`spec.${path}: no values given; allowed: ${allowed}`]);
  const seen = new Set(typed.map((v) => JSON.stringify(v)));
  if (seen.size !== typed.length) throw new SweepError([`spec.${path}: a value is given twice (${typed.join(', ')}); give each once`]);
  return { path, scope, field: scope === 'topology' ? keys.slice(topologyDepth + 1) : keys, topologies, allowed, values: typed };
}

function scopeOf(keys: readonly string[]): KnobScope | undefined {
  if (keys[0] === 'topologies') return 'topology';
  if (keys[0] === 'app' && keys[1] === 'workload') return 'workload';
  if (keys[0] === 'load' && keys.length === 2 && LOAD_FIELDS.includes(keys[1])) return 'load';
  return undefined;
}

/** [*] = every traced topology (a baseline loads no SDK); [2] = by index; [inprocess] = by name. */
function selectTopologies(doc: TraceLab, select: string, where: string): number[] {
  const all = doc.spec.topologies;
  const traced = all.flatMap((t, i) => (t.topology === 'baseline' ? [] : [i]));
  const names = all.map((t) => t.name).join(', ');
  if (select === '*') {
    if (traced.length === 0) throw new SweepError([`${where}[*]: the spec has no traced topology to vary; add one (topologies: ${names})`]);
    return traced;
  }
  const index = /^\d+$/.test(select) ? Number(select) : all.findIndex((t) => t.name === select);
  if (index < 0 || index >= all.length)
    throw new SweepError([`${where}[${select}]: no such topology; the spec has ${names} (or use [*] for every traced one)`]);
  if (all[index].topology === 'baseline')
    throw new SweepError([`${where}[${select}]: is a baseline, which loads no SDK: varying its knobs changes nothing. Pick a traced topology or [*]`]);
  return [index];
}

/** The parsed spec with each knob set to the given value, parsed again; problems in words. */
export function specWith(doc: TraceLab, settings: ReadonlyArray<readonly [ResolvedKnob, SweepValue]>): { doc?: TraceLab; problems: string[] } {
  const raw = structuredClone(doc) as unknown as { spec: Record<string, any> };
  const where: string[] = [];
  for (const [knob, value] of settings) {
    if (knob.scope === 'topology') for (const i of knob.topologies) setIn(raw.spec.topologies[i], knob.field, value);
    else setIn(raw.spec, knob.field, value);
    where.push(`${knob.path}=${JSON.stringify(value)}`);
  }
  const parsed = traceLabSchema.safeParse(raw, { reportInput: true });
  if (parsed.success) return { doc: parsed.data, problems: [] };
  const problems = parsed.error.issues.flatMap((issue) =>
    describeIssue(issue, traceLabSchema, raw).map(({ path, message }) => {
      const at = formatPath(path);
      const knob = settings.find(([k]) => matches(k, at));
      return knob
        ? `${at}: value ${JSON.stringify(knob[1])} is refused: ${message}. Allowed: ${knob[0].allowed}`
        : `with ${where.join(', ')}: ${at}: ${message}`;
    }),
  );
  return { problems };
}

function matches(knob: ResolvedKnob, at: string): boolean {
  if (knob.scope !== 'topology') return at === `spec.${knob.field.join('.')}`;
  return knob.topologies.some((i) => at === `spec.topologies[${i}].${knob.field.join('.')}`);
}

function setIn(target: Record<string, any>, field: readonly string[], value: SweepValue): void {
  let here = target;
  for (const key of field.slice(0, -1)) {
    here[key] ??= {};
    here = here[key];
  }
  here[field.at(-1)!] = value;
}
