"""The instrumentation styles the field report compares, written as users of the SDK write
them (identical in SDK lines 3 and 5, which share this API):

- observe: @observe(name=, as_type=, capture_input=, capture_output=) on each step's function
- active:  `with langfuse.start_as_current_observation(...) as obs:` context managers
- manual:  obs = parent.start_observation(...); ...; obs.end()
- auto:    observe, plus HTTP server/client auto-instrumentation (auto.py)

A style is a function (parent, spec, fn, generation) → result; `fn` receives the Scope its
own steps run in. Capture off leaves input and output out entirely.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any
from collections.abc import Callable

from langfuse import get_client, observe

from ..tracing.types import GenerationResult, StepSpec

#: The client a request uses: the app's one client, or the request's own (client-per-request).
current_client: ContextVar = ContextVar("tracelab_langfuse_client")
#: observe style: the step body a decorated function runs (its arguments are what @observe
#: captures as input, so the continuation travels beside them, not among them).
_continuation: ContextVar = ContextVar("tracelab_step_body")


def _generation_attributes(g: GenerationResult) -> dict[str, Any]:
    return {"model": g.model, "usage_details": dict(g.usage), "cost_details": dict(g.cost_usd)}


class _Scope:
    def __init__(self, step, parent=None):
        self._step = step
        self._parent = parent

    async def step(self, spec: StepSpec, fn, generation=None):
        return await self._step(self._parent, spec, fn, generation)


def styles(capture: bool) -> dict[str, Callable]:
    io = (lambda value: {"input": value}) if capture else (lambda value: {})
    out = (lambda value: {"output": value}) if capture else (lambda value: {})
    decorated: dict[tuple, Callable] = {}

    def observed(spec: StepSpec) -> Callable:
        """One decorated function per step name, made once, as a decorator at def time is."""
        key = (spec.name, spec.type)
        fn = decorated.get(key)
        if fn is None:

            async def step_function(step_input):
                body, generation = _continuation.get()
                result = await body(_Scope(via_observe))
                if generation is not None:
                    get_client().update_current_generation(**_generation_attributes(generation(result)))
                return result

            fn = decorated[key] = observe(name=spec.name, as_type=spec.type, capture_input=capture, capture_output=capture)(step_function)
        return fn

    async def via_observe(_parent, spec: StepSpec, fn, generation: Callable | None = None):
        _continuation.set((fn, generation))
        return await observed(spec)(spec.input)

    async def via_active(_parent, spec: StepSpec, fn, generation: Callable | None = None):
        with current_client.get().start_as_current_observation(name=spec.name, as_type=spec.type, **io(spec.input)) as observation:
            result = await fn(_Scope(via_active))
            observation.update(**out(result), **(_generation_attributes(generation(result)) if generation else {}))
            return result

    async def via_manual(parent, spec: StepSpec, fn, generation: Callable | None = None):
        start = parent.start_observation if parent is not None else current_client.get().start_observation
        observation = start(name=spec.name, as_type=spec.type, **io(spec.input))
        try:
            result = await fn(_Scope(via_manual, observation))
            observation.update(**out(result), **(_generation_attributes(generation(result)) if generation else {}))
            return result
        finally:
            observation.end()

    return {"observe": via_observe, "active": via_active, "manual": via_manual, "auto": via_observe}
