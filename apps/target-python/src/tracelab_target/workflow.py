"""One chat-webhook request: the same work in every mode, traced or not.

Only the Scope passed in differs, so any latency difference between topologies is tracing's.
CPU work runs on the event loop, as tokenization or JSON munging does in the real service.
"""

from __future__ import annotations

import asyncio
import math
import random
import time
from typing import Any
from collections.abc import Callable

from .jitter import llm_jitter_fraction
from .plan import PlannedSpan
from .tracing.types import GenerationResult, Scope, StepSpec, Tracing

MODEL = "gpt-4o-mini"
PRICE_PER_TOKEN = {"input": 0.15e-6, "output": 0.6e-6}


def burn_cpu(ms: float) -> int:
    """Synchronous CPU work, holding the GIL as pure-Python code does."""
    until = time.perf_counter() + ms / 1000
    x = 0
    while time.perf_counter() < until:
        x = (x * 31 + 7) % 1_000_003
    return x


class Workflow:
    def __init__(self, plan: PlannedSpan, workload):
        self._plan = plan
        self._workload = workload
        #: Captured as input and output where real apps capture large payloads.
        self._payload = "x" * int(workload.payloadBytes)

    async def handle(self, tracing: Tracing, user_id: str, session_id: str, message: str, seq: int = -1) -> dict[str, Any]:
        """`seq`: the load generator's request number (-1 when unknown), which fixes the LLM jitter."""
        spans = 0

        async def run(node: PlannedSpan, scope: Scope) -> Any:
            nonlocal spans
            spans += 1
            if node.kind == "route":
                input_ = {"message": message, "context": self._payload}
            elif node.kind == "generation":
                input_ = {"prompt": self._payload}
            else:
                input_ = {"step": node.name}
            spec = StepSpec(node.name, node.type, input_)
            if node.kind == "generation":

                async def generate(inner: Scope) -> Any:
                    await asyncio.sleep(self._llm_latency_ms(seq) / 1000)
                    await self._children(node, inner, run)
                    return {"completion": self._payload}

                return await scope.step(spec, generate, lambda _result: self._usage())

            async def work(inner: Scope) -> Any:
                own = await self._work(node)
                await self._children(node, inner, run)
                return own

            return await scope.step(spec, work)

        async def root(scope: Scope) -> dict[str, str]:
            nonlocal spans
            spans += 1
            await self._children(self._plan, scope, run)
            return {"reply": f"Thanks {user_id}, your order is on its way."}

        root_spec = StepSpec(self._plan.name, self._plan.type, {"message": message, "context": self._payload})
        reply = await tracing.request(root_spec, user_id, session_id, root)
        return {"reply": reply["reply"], "spans": spans}

    async def _children(self, node: PlannedSpan, scope: Scope, run: Callable) -> None:
        """Children in order; consecutive tool calls run in parallel (fan-out)."""
        i = 0
        children = node.children
        while i < len(children):
            if children[i].kind == "tool":
                group = []
                while i < len(children) and children[i].kind == "tool":
                    group.append(children[i])
                    i += 1
                await asyncio.gather(*(run(tool, scope) for tool in group))
            else:
                await run(children[i], scope)
                i += 1

    async def _work(self, node: PlannedSpan) -> Any:
        if node.kind == "retrieval":
            await asyncio.sleep(0.001)
            return {"documents": 3}
        if node.kind == "classify":
            burn_cpu(self._workload.cpuWorkMs)
            return {"intent": "order-status"}
        if node.kind == "tool":
            await asyncio.sleep(0.001)
            return {"tool": node.name, "ok": True}
        return {"step": node.name}

    def _llm_latency_ms(self, seq: int) -> float:
        w = self._workload
        jitter = llm_jitter_fraction(seq) if seq >= 0 else random.random() * 2 - 1
        return max(0.0, w.llmLatencyMs + jitter * w.llmJitterMs)

    def _usage(self) -> GenerationResult:
        n = self._workload.payloadBytes
        input_tokens = math.ceil(n / 4) + 12
        output_tokens = math.ceil(n / 4) + 8
        cost = {"input": input_tokens * PRICE_PER_TOKEN["input"], "output": output_tokens * PRICE_PER_TOKEN["output"]}
        return GenerationResult(
            MODEL,
            {"input": input_tokens, "output": output_tokens, "total": input_tokens + output_tokens},
            {**cost, "total": cost["input"] + cost["output"]},
        )
