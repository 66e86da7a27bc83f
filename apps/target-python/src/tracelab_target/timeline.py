"""The app's own record of what happened when (contracts/app-timeline.ts): requests, exports,
flushes, GC pauses (gc.callbacks) and event-loop stalls (loop_monitor.py). Bounded per window;
reset with the measured phase.

Exports run on the SDK's export thread, and a GC pause on whichever thread allocated: list
appends are atomic under the GIL, so those threads write here without a lock.
"""

from __future__ import annotations

import gc
import time

from .contract import TIMELINE_LIMIT


def epoch_ms() -> float:
    """Epoch milliseconds with sub-millisecond precision."""
    return time.time_ns() / 1e6


class Timeline:
    def __init__(self):
        self._gc_started = None
        self.reset()
        gc.callbacks.append(self._on_gc)

    def reset(self) -> None:
        """A new window: the measured phase of a slot starts."""
        self._window = {"sinceMs": epoch_ms(), "requests": [], "exports": [], "gc": [], "flushes": [], "stalls": []}
        self._dropped = 0

    def request(self, seq: int, start_ms: float, end_ms: float, ok: bool) -> None:
        self._push("requests", [seq, start_ms, end_ms, 1 if ok else 0])

    def export(self, event: dict) -> None:
        self._push("exports", event)

    def flush(self, start_ms: float, end_ms: float) -> None:
        self._push("flushes", [start_ms, end_ms])

    def stall(self, start_ms: float, late_ms: float) -> None:
        self._push("stalls", [start_ms, late_ms])

    def snapshot(self) -> dict:
        return {**self._window, "dropped": self._dropped}

    def close(self) -> None:
        if self._on_gc in gc.callbacks:
            gc.callbacks.remove(self._on_gc)

    def _on_gc(self, phase: str, info: dict) -> None:
        # CPython collects generation 0 and 1 young; a generation-2 collection is a full one.
        if phase == "start":
            self._gc_started = (epoch_ms(), time.perf_counter())
        elif self._gc_started is not None:
            start_ms, started = self._gc_started
            self._gc_started = None
            kind = "major" if info.get("generation") == 2 else "minor"
            self._push("gc", [start_ms, (time.perf_counter() - started) * 1000, kind])

    def _push(self, key: str, event) -> None:
        events = self._window[key]
        if len(events) >= TIMELINE_LIMIT:
            self._dropped += 1
            return
        events.append(event)
