"""Event-loop lag: a periodic asyncio task's drift (how late it woke), the Python analogue
of Node's monitorEventLoopDelay plus its stall timer.

Every tick's lateness goes into a window histogram (p50 / p99 / max on /metrics, reset with
the measured phase); lateness above STALL_THRESHOLD_MS is also a stall on the timeline. A
late tick means the loop could not run: CPU work on the loop, or another thread holding the
GIL (the SDK's export thread, a GC pause).
"""

from __future__ import annotations

import asyncio
import math
import time

from .contract import STALL_THRESHOLD_MS
from .timeline import Timeline, epoch_ms

TICK_S = 0.005  # as the node app's stall timer

# Log-spaced buckets from 1 µs up: 2 % wide, so a percentile is within 2 % of the truth.
_BASE_MS = 0.001
_GROWTH = 1.02
_BUCKETS = 1200  # up to ~2e7 ms


class LagHistogram:
    def __init__(self):
        self.reset()

    def reset(self) -> None:
        self._counts = [0] * _BUCKETS
        self._n = 0
        self._max = 0.0

    def add(self, ms: float) -> None:
        i = 0 if ms <= _BASE_MS else min(_BUCKETS - 1, int(math.log(ms / _BASE_MS, _GROWTH)) + 1)
        self._counts[i] += 1
        self._n += 1
        self._max = max(self._max, ms)

    def percentile(self, q: float) -> float:
        """Milliseconds at quantile q (0..1): the upper edge of the bucket holding it."""
        if self._n == 0:
            return 0.0
        rank = max(1, math.ceil(q * self._n))
        seen = 0
        for i, count in enumerate(self._counts):
            seen += count
            if seen >= rank:
                return min(self._max, _BASE_MS * _GROWTH**i)
        return self._max

    @property
    def max(self) -> float:
        return self._max


class LoopMonitor:
    def __init__(self, timeline: Timeline):
        self.histogram = LagHistogram()
        self._timeline = timeline
        self._task = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name="tracelab-loop-monitor")

    def stop(self) -> None:
        if self._task:
            self._task.cancel()

    async def _run(self) -> None:
        expected = time.perf_counter() + TICK_S
        while True:
            await asyncio.sleep(TICK_S)
            now = time.perf_counter()
            late_ms = max(0.0, (now - expected) * 1000)
            self.histogram.add(late_ms)
            if late_ms > STALL_THRESHOLD_MS:
                self._timeline.stall(epoch_ms() - late_ms, late_ms)
            expected = now + TICK_S
