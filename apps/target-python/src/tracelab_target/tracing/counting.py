"""Counting what the SDK's pipeline does, for /metrics and the timeline.

- CountingProcessor: spans started (and the lab slot stamped on each), on the provider.
- count_queue: wraps the Langfuse processor's batch queue, so "ended" means what the SDK
  takes for export (after its own filter) and a span the full queue pushes out is a drop.
- CountingExporter: export calls, outcome, wall time, the exporting thread's CPU time
  (time.thread_time: that thread's own CPU clock) and the encoding time.
- ExportThreads: the CPU clock of each BatchSpanProcessor worker thread as a whole.
"""

from __future__ import annotations

import contextlib
import threading
import time

from opentelemetry.exporter.otlp.proto.http import trace_exporter as otlp_trace_exporter
from opentelemetry.sdk.trace import SpanProcessor
from opentelemetry.sdk.trace.export import SpanExporter, SpanExportResult

from ..contract import ENVIRONMENT_ATTRIBUTE, SLOT_ATTRIBUTE, slot_environment
from ..timeline import epoch_ms
from .types import Counters, Observer


class CountingProcessor(SpanProcessor):
    def __init__(self, counters: Counters, slot):
        self._counters = counters
        self._slot = slot
        # The environment is hashed once per slot, not once per span.
        self._stamped = ("", "")

    def on_start(self, span, parent_context=None) -> None:
        self._counters.spans_started += 1
        slot = self._slot()
        if not slot:
            return
        if self._stamped[0] != slot:
            self._stamped = (slot, slot_environment(slot))
        span.set_attribute(SLOT_ATTRIBUTE, slot)
        span.set_attribute(ENVIRONMENT_ATTRIBUTE, self._stamped[1])


def count_queue(processor, counters: Counters) -> None:
    """Counts spans entering a BatchSpanProcessor's queue, and the ones a full queue drops.

    OpenTelemetry's BatchProcessor.emit appends to a bounded deque, which pushes the oldest
    span out when full (it logs "Queue full"); counting at emit sees exactly that.
    """
    queue = processor._batch_processor  # OpenTelemetry SDK internals, checked in langfuse_tracing
    emit = queue.emit

    def counted_emit(span) -> None:
        counters.spans_ended += 1
        if len(queue._queue) >= queue._max_queue_size:
            counters.spans_dropped += 1
        emit(span)

    queue.emit = counted_emit


# Encoding time, measured where it runs (the export thread): the OTLP/HTTP exporter encodes
# with encode_spans(...).SerializePartialToString() inside export().
_encoding = threading.local()
_encode_spans = otlp_trace_exporter.encode_spans


class _TimedMessage:
    def __init__(self, message, started: float):
        self._message = message
        self._started = started

    def SerializePartialToString(self) -> bytes:  # protobuf's name
        data = self._message.SerializePartialToString()
        _encoding.seconds = time.perf_counter() - self._started
        return data


def _timed_encode_spans(spans):
    started = time.perf_counter()
    return _TimedMessage(_encode_spans(spans), started)


otlp_trace_exporter.encode_spans = _timed_encode_spans


class CountingExporter(SpanExporter):
    def __init__(self, inner: SpanExporter, counters: Counters, observer: Observer):
        self._inner = inner
        self._counters = counters
        self._observer = observer

    def export(self, spans) -> SpanExportResult:
        c = self._counters
        c.export_calls += 1
        start_ms = epoch_ms()
        started = time.perf_counter()
        cpu_started = time.thread_time()
        _encoding.seconds = None
        try:
            result = self._inner.export(spans)
        except Exception:
            result = SpanExportResult.FAILURE
            raise
        finally:
            c.export_seconds += time.perf_counter() - started
            c.export_cpu_seconds += time.thread_time() - cpu_started
            ok = result == SpanExportResult.SUCCESS
            if ok:
                c.spans_exported += len(spans)
            else:
                c.spans_export_failed += len(spans)
            event = {"startMs": start_ms, "endMs": epoch_ms(), "spans": len(spans), "ok": ok}
            if _encoding.seconds is not None:
                event["serializeMs"] = _encoding.seconds * 1000
            self._observer.export(event)
        return result

    def shutdown(self) -> None:
        self._inner.shutdown()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return self._inner.force_flush(timeout_millis)


class ExportThreads:
    """CPU seconds of the BatchSpanProcessor worker threads, from each thread's CPU clock."""

    def __init__(self):
        self._threads: list[threading.Thread] = []
        self._last: dict = {}

    def add(self, thread: threading.Thread) -> None:
        self._threads.append(thread)

    def cpu_seconds(self) -> float | None:
        if not self._threads or not hasattr(time, "pthread_getcpuclockid"):
            return None
        for thread in self._threads:
            if thread.is_alive() and thread.ident is not None:
                # A thread that exits between the check and the read keeps its last reading.
                with contextlib.suppress(OSError):
                    self._last[thread.ident] = time.clock_gettime(time.pthread_getcpuclockid(thread.ident))
        return sum(self._last.values())
