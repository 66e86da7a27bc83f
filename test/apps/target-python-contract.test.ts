// The Python target agrees with the TypeScript contracts it copies: the LLM jitter hash bit
// for bit, the span plan for a grid of knobs, and every path, header and metric name.
import { describe, expect, it } from 'vitest';
import { planSpans } from '../../apps/target-node/src/workflow-plan.ts';
import { APP_METRICS, APP_PATHS, SEQ_HEADER, SLOT_ATTRIBUTE } from '../../contracts/app-metrics.ts';
import { ENVIRONMENT_ATTRIBUTE, slotEnvironment } from '../../contracts/slot-environment.ts';
import { STALL_THRESHOLD_MS, TIMELINE_LIMIT } from '../../contracts/app-timeline.ts';
import { llmJitterFraction } from '../../contracts/target-app.ts';
import { runPython, SDK_LINES } from '../support/python.ts';

describe('the Python app copies the contracts exactly', () => {
  it('llmJitterFraction: bit for bit the same double for every tested sequence number', () => {
    // Edges of 32-bit wrap-around, then a spread up to 2^53 (k6 numbers iterations from 0).
    const seqs = [0, 1, 2, 7, 255, 65_535, 65_536, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 1_000_000_000, 2 ** 53 - 1];
    for (let i = 0; i < 5000; i++) seqs.push(Math.floor((i * 2654435761) % 2 ** 32) + (i % 7) * 2 ** 33);
    const python = JSON.parse(
      runPython(
        3,
        'import json, sys\nfrom tracelab_target.jitter import llm_jitter_fraction as f\nprint(json.dumps([f(s) for s in json.load(sys.stdin)]))',
        JSON.stringify(seqs),
      ),
    ) as number[];
    const mismatches = seqs.filter((seq, i) => !Object.is(python[i], llmJitterFraction(seq)));
    expect(mismatches).toEqual([]);
    expect(python).toHaveLength(seqs.length);
  });

  it('the span plan: the same tree (names, kinds, types, order) or the same refusal, for a grid of knobs', () => {
    const grid: Array<[number, number, number]> = [];
    for (let spans = 1; spans <= 24; spans++) for (let depth = 1; depth <= 9; depth++) for (const tools of [0, 1, 3, 5]) grid.push([spans, depth, tools]);
    grid.push([100, 20, 3], [1000, 50, 50]);
    const code = `import json, sys
from tracelab_target.plan import plan_spans
out = []
for spans, depth, tools in json.load(sys.stdin):
    try:
        out.append(plan_spans(spans, depth, tools).to_dict())
    except ValueError as e:
        out.append({"error": str(e)})
print(json.dumps(out))`;
    const python = JSON.parse(runPython(5, code, JSON.stringify(grid))) as unknown[];
    const node = grid.map(([spansPerRequest, nestingDepth, toolCalls]) => {
      try {
        return planSpans({ spansPerRequest, nestingDepth, toolCalls, payloadBytes: 0, llmLatencyMs: 0, llmJitterMs: 0, cpuWorkMs: 0 });
      } catch (error) {
        return { error: (error as Error).message };
      }
    });
    expect(python).toEqual(JSON.parse(JSON.stringify(node)));
    expect(node.filter((p) => !('error' in p)).length).toBeGreaterThan(300); // the grid is mostly valid shapes
  });

  it.each(SDK_LINES)('paths, headers, metric names and timeline bounds equal contracts/ (venv of line %i)', (line) => {
    const code = `import json
from tracelab_target import contract as c
print(json.dumps({"paths": c.PATHS, "seq": c.SEQ_HEADER, "slot": c.SLOT_ATTRIBUTE, "environment": c.ENVIRONMENT_ATTRIBUTE, "env_of": c.slot_environment("run-1/inprocess-r2"), "metrics": c.METRICS, "limit": c.TIMELINE_LIMIT, "stall": c.STALL_THRESHOLD_MS}))`;
    expect(JSON.parse(runPython(line, code))).toEqual({
      paths: APP_PATHS,
      seq: SEQ_HEADER,
      slot: SLOT_ATTRIBUTE,
      environment: ENVIRONMENT_ATTRIBUTE,
      env_of: slotEnvironment('run-1/inprocess-r2'),
      metrics: APP_METRICS,
      limit: TIMELINE_LIMIT,
      stall: STALL_THRESHOLD_MS,
    });
  });
});
