"""What the workflow needs from tracing, whatever the mode and instrumentation style.

Imports nothing of OpenTelemetry or Langfuse: the baseline loads this and none.py only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol
from collections.abc import Awaitable, Callable


@dataclass(frozen=True)
class StepSpec:
    name: str
    type: str
    #: Captured as the observation's input when capture is on.
    input: Any = None


@dataclass(frozen=True)
class GenerationResult:
    model: str
    usage: dict
    cost_usd: dict


class Scope(Protocol):
    async def step(
        self,
        spec: StepSpec,
        fn: Callable[[Scope], Awaitable[Any]],
        generation: Callable[[Any], GenerationResult] | None = None,
    ) -> Any:
        """Runs `fn` inside a child observation of this scope; `fn`'s result is the output."""


@dataclass
class Counters:
    spans_started: int = 0
    #: Spans ended that the SDK's processor takes for export (its filter passed them).
    spans_ended: int = 0
    spans_exported: int = 0
    spans_export_failed: int = 0
    spans_dropped: int = 0
    export_calls: int = 0
    #: Wall time in export calls (a running sum).
    export_seconds: float = 0.0
    #: CPU time of export calls, from the exporting thread's own CPU clock.
    export_cpu_seconds: float = 0.0


class Observer(Protocol):
    """Where tracing reports what it did, when (the app's Timeline)."""

    def export(self, event: dict) -> None: ...

    def flush(self, start_ms: float, end_ms: float) -> None: ...


@dataclass
class Tracing:
    """Tracing off: every step runs as it is. Traced modes subclass this."""

    counters: Counters = field(default_factory=Counters)
    #: What the app reports as its SDK in /healthz, e.g. "langfuse 3.15.0".
    sdk: str = "none"

    async def request(self, root: StepSpec, user_id: str, session_id: str, fn: Callable[[Scope], Awaitable[Any]]) -> Any:
        return await fn(PASS_THROUGH)

    def instrument(self, app: Any) -> None:
        """Auto-instrumentation of the FastAPI app (style auto); nothing otherwise."""

    def flush(self) -> None:
        """Exports everything queued, on the calling thread (the SDK's flush())."""

    def shutdown(self) -> None:
        """Flushes and stops the SDK's threads."""

    def set_slot(self, slot: str) -> None:
        """Spans started from now on belong to this lab slot (SLOT_ATTRIBUTE)."""

    def export_thread_cpu_seconds(self) -> float | None:
        """CPU time of the SDK's export thread(s), from their own CPU clocks (None: no such thread)."""
        return None


class _PassThrough:
    async def step(self, spec, fn, generation=None):
        return await fn(self)


PASS_THROUGH = _PassThrough()
