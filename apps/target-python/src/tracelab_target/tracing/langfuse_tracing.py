"""Tracing on: the Langfuse Python SDK, set up once as its docs say (client.py), with the
instrumentation style of the settings (styles.py) and counting around the SDK's processor
(counting.py). Loaded only when the mode is langfuse or otlp.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib.metadata import version
from typing import Any

from langfuse import Langfuse, propagate_attributes
from langfuse._client.span_processor import LangfuseSpanProcessor
from opentelemetry import trace

from ..timeline import epoch_ms
from .client import apply_sdk_env, check_processor, client_options
from .counting import CountingExporter, CountingProcessor, ExportThreads, count_queue
from .styles import current_client, styles
from .types import Observer, Tracing


@dataclass
class LangfuseTracing(Tracing):
    client: Any = None
    options: dict = field(default_factory=dict)
    provider: Any = None
    observer: Observer | None = None
    step: Any = None
    anti_pattern: str = "none"
    auto: bool = False
    threads: ExportThreads = field(default_factory=ExportThreads)
    slot: str | None = None

    async def request(self, root, user_id, session_id, fn):
        # client-per-request: a new client in the handler, as the anti-pattern writes it. (The
        # SDK keeps one resource manager per public key, so this costs what its constructor costs.)
        client = Langfuse(**self.options) if self.anti_pattern == "client-per-request" else self.client
        token = current_client.set(client)
        try:
            with propagate_attributes(user_id=user_id, session_id=session_id):
                result = await self.step(None, root, fn)
        finally:
            current_client.reset(token)
        if self.anti_pattern == "flush-per-request":
            self.flush()  # on the event loop, as a handler calling langfuse.flush() does
        return result

    def instrument(self, app) -> None:
        if self.auto:
            from .auto import instrument_http

            instrument_http(app, self.provider)

    def flush(self) -> None:
        start_ms = epoch_ms()
        self.client.flush()
        self.observer.flush(start_ms, epoch_ms())

    def shutdown(self) -> None:
        self.client.shutdown()

    def set_slot(self, slot: str) -> None:
        self.slot = slot

    def export_thread_cpu_seconds(self):
        return self.threads.cpu_seconds()


def langfuse_tracing(settings, observer: Observer) -> LangfuseTracing:
    apply_sdk_env(settings)
    options = client_options(settings)
    client = Langfuse(**options)
    provider = trace.get_tracer_provider()
    tracing = LangfuseTracing(
        sdk=f"langfuse {version('langfuse')}",
        client=client,
        options=options,
        provider=provider,
        observer=observer,
        step=styles(settings.instrumentation.captureIO)[settings.instrumentation.style],
        anti_pattern=settings.instrumentation.antiPattern,
        auto=settings.instrumentation.style == "auto",
    )
    processors = [p for p in provider._active_span_processor._span_processors if isinstance(p, LangfuseSpanProcessor)]
    if not processors:
        raise RuntimeError("the Langfuse client installed no LangfuseSpanProcessor on the global tracer provider")
    for processor in processors:
        check_processor(processor, settings)
        queue = processor._batch_processor
        queue._exporter = CountingExporter(queue._exporter, tracing.counters, observer)
        count_queue(processor, tracing.counters)
        tracing.threads.add(queue._worker_thread)
    provider.add_span_processor(CountingProcessor(tracing.counters, lambda: tracing.slot))
    return tracing
