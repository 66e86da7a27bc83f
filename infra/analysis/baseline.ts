// Which baseline a topology is measured against: the baseline of its own runtime (and, for
// python, event loop) — a python topology's overhead over the node baseline would be the
// runtime's difference, not tracing's. Validation guarantees one exists (runtime-rules.ts).
import { baselineGroup } from '../../contracts/spec/runtime-rules.ts';
import type { Topology } from '../../contracts/spec/schema.ts';
import type { RunRecord } from '../load/record.ts';

export function baselineFor(topologies: readonly Topology[], topology: Topology): Topology {
  const group = baselineGroup(topology);
  const found = topologies.find((t) => t.topology === 'baseline' && baselineGroup(t) === group);
  if (!found) throw new Error(`no baseline of runtime ${group} for topology ${topology.name}; add one (tracelab validate says how)`);
  return found;
}

/** The baseline a topology of a run is measured against: a sweep variant's own (the one of its values), else its runtime's. */
export function baselineOf(record: Pick<RunRecord, 'doc' | 'sweep'>, topology: Topology): string {
  const variant = record.sweep?.variants.find((v) => v.name === topology.name);
  if (variant) return variant.baseline ?? variant.name;
  return baselineFor(record.doc.spec.topologies, topology).name;
}
