"""GIL contention while serving: how long a thread that wants the GIL waits for it.

gilknocker (PyPI, Rust) runs a native thread that, in sampling bursts, repeatedly acquires
the GIL and times the wait; contention_metric is waited time / sampled time, 0..1. Chosen
because the sampler itself holds the GIL for only the instant of each knock (a pure-Python
sampler would run bytecode under the GIL on every sample and inflate what it measures), and
because it needs no changes to the app or the SDK. What it sees is the GIL's occupancy as
any other thread sees it — the asyncio loop when the export thread holds it, and the other
way round — so compare topologies with the baseline, which runs the same sampler.

Duty cycle: knock every 1 ms during 10 ms bursts, then sleep 40 ms (20 % of the time). Each
knock can ask the running thread to drop the GIL at its next switch interval (5 ms), so the
sampler costs something; TRACELAB_GIL_SAMPLER=off turns it off to check that cost.

gilknocker 0.4.2's stop() returns before its native thread has finished its last knock; if
the interpreter finalizes meanwhile, that thread is torn down mid-knock and the process
aborts ("FATAL: exception not rethrown": 4-10 % of exits on a loaded machine). stop() is
therefore called first on shutdown and settle() waits out that last knock before exit
(0 aborts in 80 tries with a 0.2 s wait).
"""

from __future__ import annotations

import os
import sys
import time

#: How long after stop() the knocker thread may still be finishing a knock.
_SETTLE_S = 0.25


class GilSampler:
    def __init__(self):
        self._knocker = None
        self._stopped_at = None
        if os.environ.get("TRACELAB_GIL_SAMPLER", "on") == "off":
            return
        try:
            from gilknocker import KnockKnock
        except ImportError:  # a venv built without it: say so, keep serving
            sys.stderr.write("target-python: gilknocker is not installed; GIL contention is not measured\n")
            return
        self._knocker = KnockKnock(polling_interval_micros=1_000, sampling_interval_micros=10_000, sleeping_interval_micros=40_000)

    def start(self) -> None:
        if self._knocker:
            self._knocker.start()

    def reset(self) -> None:
        """A new window (the measured phase of a slot)."""
        if self._knocker and self._knocker.is_running:
            self._knocker.reset_contention_metric()

    def contention(self) -> float | None:
        return self._knocker.contention_metric if self._knocker else None

    def stop(self) -> None:
        if self._knocker and self._knocker.is_running:
            self._knocker.stop()
            self._stopped_at = time.perf_counter()

    def settle(self) -> None:
        """Before the interpreter exits: let the knocker thread finish its last knock."""
        if self._stopped_at is not None:
            time.sleep(max(0.0, self._stopped_at + _SETTLE_S - time.perf_counter()))
