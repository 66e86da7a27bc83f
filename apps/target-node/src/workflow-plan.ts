// The shape of one request's trace, from the workload knobs: exactly spansPerRequest spans,
// nested exactly nestingDepth deep, shaped like a chat webhook running an LLM workflow.
//
//   chat-webhook (root)
//   ├── retrieve-context      simulated I/O wait
//   ├── classify-intent       synchronous CPU work
//   ├── llm-generation        simulated LLM latency; model, usage and cost
//   │   └── tool-1 … tool-N   fan-out, in parallel; the deepest chain hangs under tool-1
//   ├── post-process
//   └── step-k                extra spans when spansPerRequest asks for more
import type { TargetSettings } from '../../../contracts/target-app.ts';

export type StepKind = 'route' | 'retrieval' | 'classify' | 'generation' | 'tool' | 'postprocess' | 'step';
export type ObservationType = 'span' | 'generation' | 'tool' | 'retriever' | 'chain';

export interface PlannedSpan {
  readonly name: string;
  readonly kind: StepKind;
  readonly type: ObservationType;
  readonly children: PlannedSpan[];
}

const TYPE: Record<StepKind, ObservationType> = {
  route: 'span',
  retrieval: 'retriever',
  classify: 'span',
  generation: 'generation',
  tool: 'tool',
  postprocess: 'span',
  step: 'chain',
};
const ORDER: Record<StepKind, number> = { route: 0, retrieval: 1, classify: 2, generation: 3, postprocess: 4, tool: 5, step: 6 };

const node = (name: string, kind: StepKind): PlannedSpan => ({ name, kind, type: TYPE[kind], children: [] });

export function planSpans(workload: TargetSettings['workload']): PlannedSpan {
  const { spansPerRequest, nestingDepth, toolCalls } = workload;
  if (nestingDepth > spansPerRequest || (nestingDepth < 2 && spansPerRequest > 1)) {
    throw new Error(`cannot place ${spansPerRequest} spans at nesting depth ${nestingDepth}`);
  }
  const root = node('chat-webhook', 'route');
  let left = spansPerRequest - 1;
  if (left === 0) return root;

  // The deepest chain first, so the depth is exact: root → generation → tool-1 → step…
  const generation = node('llm-generation', 'generation');
  root.children.push(generation);
  left--;
  let tools = 0;
  let parent = generation;
  for (let depth = 3; depth <= nestingDepth; depth++) {
    const child = depth === 3 ? node(`tool-${++tools}`, 'tool') : node(`nested-${depth}`, 'step');
    parent.children.push(child);
    parent = child;
    left--;
  }

  // Then the usual workflow steps, then more tools, then filler steps under the root.
  for (const [name, kind] of [
    ['retrieve-context', 'retrieval'],
    ['classify-intent', 'classify'],
    ['post-process', 'postprocess'],
  ] as const) {
    if (left-- > 0) root.children.push(node(name, kind));
  }
  left = Math.max(left, 0);
  while (left > 0 && tools < toolCalls) {
    (nestingDepth >= 3 ? generation : root).children.push(node(`tool-${++tools}`, 'tool'));
    left--;
  }
  for (let k = 1; left > 0; k++, left--) root.children.push(node(`step-${k}`, 'step'));
  root.children.sort((a, b) => ORDER[a.kind] - ORDER[b.kind]);
  return root;
}

export function countSpans(plan: PlannedSpan): number {
  return 1 + plan.children.reduce((n, c) => n + countSpans(c), 0);
}

export function depthOf(plan: PlannedSpan): number {
  return 1 + Math.max(0, ...plan.children.map(depthOf));
}
