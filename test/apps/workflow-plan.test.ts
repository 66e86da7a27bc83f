import { describe, expect, it } from 'vitest';
import { countSpans, depthOf, planSpans, type PlannedSpan } from '../../apps/target-node/src/workflow-plan.ts';

const workload = (spansPerRequest: number, nestingDepth: number, toolCalls = 1) => ({
  spansPerRequest,
  nestingDepth,
  toolCalls,
  payloadBytes: 0,
  llmLatencyMs: 0,
  llmJitterMs: 0,
  cpuWorkMs: 0,
});

const names = (plan: PlannedSpan): string[] => [plan.name, ...plan.children.flatMap(names)];

describe('the span plan of one request', () => {
  it.each([
    [1, 1],
    [2, 2],
    [6, 3],
    [6, 2],
    [10, 6],
    [40, 3],
    [100, 20],
    [5, 5],
  ])('%i spans at depth %i: exactly that many, exactly that deep', (spans, depth) => {
    const plan = planSpans(workload(spans, depth, 3));
    expect(countSpans(plan)).toBe(spans);
    expect(depthOf(plan)).toBe(depth);
    expect(new Set(names(plan)).size).toBe(spans); // names are unique within a trace
  });

  it('the default shape is the chat webhook: retrieval, classification, a generation with a tool, post-processing', () => {
    const plan = planSpans(workload(6, 3));
    expect(plan.name).toBe('chat-webhook');
    expect(plan.children.map((c) => c.kind)).toEqual(['retrieval', 'classify', 'generation', 'postprocess']);
    const generation = plan.children.find((c) => c.kind === 'generation')!;
    expect(generation.type).toBe('generation');
    expect(generation.children.map((c) => c.kind)).toEqual(['tool']);
  });

  it('fan-out puts the tool calls under the generation', () => {
    const generation = planSpans(workload(8, 3, 3)).children.find((c) => c.kind === 'generation')!;
    expect(generation.children.map((c) => c.name)).toEqual(['tool-1', 'tool-2', 'tool-3']);
  });

  it('rejects shapes that cannot exist', () => {
    expect(() => planSpans(workload(3, 4))).toThrow(/cannot place 3 spans at nesting depth 4/);
    expect(() => planSpans(workload(3, 1))).toThrow(/cannot place/);
  });
});
