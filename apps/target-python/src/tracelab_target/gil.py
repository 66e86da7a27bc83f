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
"""

from __future__ import annotations

import os
import sys


class GilSampler:
    def __init__(self):
        self._knocker = None
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
