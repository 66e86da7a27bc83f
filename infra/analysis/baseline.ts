// Which baseline a topology is measured against: the baseline of its own runtime (and, for
// python, event loop) — a python topology's overhead over the node baseline would be the
// runtime's difference, not tracing's. Validation guarantees one exists (runtime-rules.ts).
import { baselineGroup } from '../../contracts/spec/runtime-rules.ts';
import type { Topology } from '../../contracts/spec/schema.ts';

export function baselineFor(topologies: readonly Topology[], topology: Topology): Topology {
  const group = baselineGroup(topology);
  const found = topologies.find((t) => t.topology === 'baseline' && baselineGroup(t) === group);
  if (!found) throw new Error(`no baseline of runtime ${group} for topology ${topology.name}; add one (tracelab validate says how)`);
  return found;
}
