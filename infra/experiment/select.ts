// Keeping some of a spec's topologies (--topologies a,b): each kept traced topology brings
// the baseline of its runtime along, since its overhead is measured against it.
import { baselineGroup } from '../../contracts/spec/runtime-rules.ts';
import type { TraceLab } from '../../contracts/spec/schema.ts';

export function selectTopologies(doc: TraceLab, names: readonly string[]): TraceLab {
  const all = doc.spec.topologies;
  const unknown = names.filter((n) => !all.some((t) => t.name === n));
  if (unknown.length) throw new Error(`--topologies: no topology named ${unknown.join(', ')}; the spec has ${all.map((t) => t.name).join(', ')}`);
  const kept = all.filter((t) => names.includes(t.name));
  // Each kept traced topology brings its runtime's baseline: overhead is measured against it.
  const needed = new Set(kept.filter((t) => t.topology !== 'baseline').map(baselineGroup));
  const hasBaseline = (group: string) => kept.some((t) => t.topology === 'baseline' && baselineGroup(t) === group);
  const added = [...needed].filter((g) => !hasBaseline(g)).map((g) => all.find((t) => t.topology === 'baseline' && baselineGroup(t) === g));
  const topologies = all.filter((t) => kept.includes(t) || added.includes(t));
  return { ...doc, spec: { ...doc.spec, topologies } };
}
