// Reading the traces the sink kept (GET /spans) back into trees, to compare with the span
// plan of the workload knobs.
import type { PlannedSpan } from '../../apps/target-node/src/workflow-plan.ts';

export interface KeptSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  attributes: Record<string, unknown>;
}

export interface NameTree {
  name: string;
  children: NameTree[];
}

export const keptSpans = async (sinkUrl: string): Promise<KeptSpan[]> => (await fetch(`${sinkUrl}/spans`)).json() as Promise<KeptSpan[]>;

export const isObservation = (s: KeptSpan) => typeof s.attributes['langfuse.observation.type'] === 'string';

/** Children sorted by name: spans end (and arrive) in any order. */
const sorted = (tree: NameTree): NameTree => ({ name: tree.name, children: tree.children.map(sorted).sort((a, b) => a.name.localeCompare(b.name)) });

export const planTree = (plan: PlannedSpan): NameTree => sorted({ name: plan.name, children: plan.children.map(planTree) });

/** The Langfuse observations of one trace as a tree (framework spans left out, their children kept in place). */
export function observationTree(trace: KeptSpan[]): NameTree {
  const observations = trace.filter(isObservation);
  const ids = new Set(observations.map((s) => s.spanId));
  const roots = observations.filter((s) => !ids.has(s.parentSpanId));
  if (roots.length !== 1) throw new Error(`expected one root observation, got ${roots.map((r) => r.name).join(', ') || 'none'}`);
  const build = (span: KeptSpan): NameTree => ({ name: span.name, children: observations.filter((c) => c.parentSpanId === span.spanId).map(build) });
  return sorted(build(roots[0]));
}

export const byTrace = (spans: KeptSpan[]) => Map.groupBy(spans, (s) => s.traceId);
