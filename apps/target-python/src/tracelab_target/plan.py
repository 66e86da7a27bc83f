"""The shape of one request's trace from the workload knobs (apps/target-node/src/workflow-plan.ts).

Exactly spansPerRequest spans, nested exactly nestingDepth deep, shaped like a chat webhook
running an LLM workflow:

  chat-webhook (root)
  ├── retrieve-context      simulated I/O wait
  ├── classify-intent       synchronous CPU work, on the event loop
  ├── llm-generation        simulated LLM latency; model, usage and cost
  │   └── tool-1 … tool-N   fan-out, in parallel; the deepest chain hangs under tool-1
  ├── post-process
  └── step-k                extra spans when spansPerRequest asks for more

A port, line by line, of the TypeScript planner; a test compares both for a grid of knobs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

TYPE = {
    "route": "span",
    "retrieval": "retriever",
    "classify": "span",
    "generation": "generation",
    "tool": "tool",
    "postprocess": "span",
    "step": "chain",
}
ORDER = {"route": 0, "retrieval": 1, "classify": 2, "generation": 3, "postprocess": 4, "tool": 5, "step": 6}


@dataclass
class PlannedSpan:
    name: str
    kind: str
    type: str
    children: list[PlannedSpan] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"name": self.name, "kind": self.kind, "type": self.type, "children": [c.to_dict() for c in self.children]}


def _node(name: str, kind: str) -> PlannedSpan:
    return PlannedSpan(name, kind, TYPE[kind])


def plan_spans(spans_per_request: int, nesting_depth: int, tool_calls: int) -> PlannedSpan:
    if nesting_depth > spans_per_request or (nesting_depth < 2 and spans_per_request > 1):
        raise ValueError(f"cannot place {spans_per_request} spans at nesting depth {nesting_depth}")
    root = _node("chat-webhook", "route")
    left = spans_per_request - 1
    if left == 0:
        return root

    # The deepest chain first, so the depth is exact: root → generation → tool-1 → step…
    generation = _node("llm-generation", "generation")
    root.children.append(generation)
    left -= 1
    tools = 0
    parent = generation
    for depth in range(3, nesting_depth + 1):
        if depth == 3:
            tools += 1
            child = _node(f"tool-{tools}", "tool")
        else:
            child = _node(f"nested-{depth}", "step")
        parent.children.append(child)
        parent = child
        left -= 1

    # Then the usual workflow steps, then more tools, then filler steps under the root.
    for name, kind in (("retrieve-context", "retrieval"), ("classify-intent", "classify"), ("post-process", "postprocess")):
        if left > 0:
            root.children.append(_node(name, kind))
        left -= 1  # as `left-- > 0` in TypeScript: decremented either way
    left = max(left, 0)
    while left > 0 and tools < tool_calls:
        tools += 1
        (generation if nesting_depth >= 3 else root).children.append(_node(f"tool-{tools}", "tool"))
        left -= 1
    k = 1
    while left > 0:
        root.children.append(_node(f"step-{k}", "step"))
        k += 1
        left -= 1
    root.children.sort(key=lambda c: ORDER[c.kind])  # stable, as Array.prototype.sort
    return root


def count_spans(plan: PlannedSpan) -> int:
    return 1 + sum(count_spans(c) for c in plan.children)
