"""Prometheus text for the target app: the node app's metric names where they mean the same
(contracts/app-metrics.ts), plus what only Python has: the export thread's CPU clock, the
CPU time of export calls and GIL contention. Hand-rolled like the node app's, so the
baseline loads no metrics library.
"""

from __future__ import annotations

import os
import resource
import time

from .contract import METRICS as M
from .loop_monitor import LagHistogram
from .tracing.types import Counters

LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 1, 2, 5]
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _rss_bytes() -> int:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * _PAGE
    except OSError:  # not Linux: the peak is the best there is
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


class AppMetrics:
    def __init__(self, topology: str):
        self._topology = topology
        self._buckets = [0] * len(LATENCY_BUCKETS)
        self._requests = 0
        self._failures = 0
        self._latency_sum = 0.0

    def observe_request(self, seconds: float, ok: bool) -> None:
        self._requests += 1
        if not ok:
            self._failures += 1
        self._latency_sum += seconds
        for i, le in enumerate(LATENCY_BUCKETS):
            if seconds <= le:
                self._buckets[i] += 1

    def render(self, tracing: Counters, lag: LagHistogram, export_thread_cpu: float | None, gil: float | None) -> str:
        label = f'topology="{self._topology}"'
        lines: list[str] = []

        def metric(name: str, kind: str, help_text: str, samples: list[tuple[str, float]]) -> None:
            lines.append(f"# HELP {name} {help_text}")
            lines.append(f"# TYPE {name} {kind}")
            for labels, v in samples:
                lines.append(f"{name}{{{label}{',' + labels if labels else ''}}} {v}")

        metric(f"{M['requests']}_total", "counter", "Chat requests handled.", [
            ('outcome="ok"', self._requests - self._failures),
            ('outcome="error"', self._failures),
        ])  # fmt: skip
        rd = M["requestDuration"]
        lines += [f"# HELP {rd} Server-side request latency.", f"# TYPE {rd} histogram"]
        for le, count in zip(LATENCY_BUCKETS, self._buckets, strict=True):
            lines.append(f'{rd}_bucket{{{label},le="{le}"}} {count}')
        lines.append(f'{rd}_bucket{{{label},le="+Inf"}} {self._requests}')
        lines += [f"{rd}_sum{{{label}}} {self._latency_sum}", f"{rd}_count{{{label}}} {self._requests}"]
        metric(M["eventLoopDelay"], "gauge", "asyncio loop lag since the last reset (a 5 ms ticker's drift).", [
            ('quantile="0.5"', lag.percentile(0.5) / 1000),
            ('quantile="0.99"', lag.percentile(0.99) / 1000),
            ('quantile="1"', lag.max / 1000),
        ])  # fmt: skip
        metric(f"{M['spansStarted']}_total", "counter", "Spans started.", [("", tracing.spans_started)])
        metric(f"{M['spansEnded']}_total", "counter", "Spans ended and taken for export by the SDK.", [("", tracing.spans_ended)])
        metric(f"{M['spansExported']}_total", "counter", "Spans the exporter delivered.", [("", tracing.spans_exported)])
        metric(f"{M['spansExportFailed']}_total", "counter", "Spans in failed export calls.", [("", tracing.spans_export_failed)])
        metric(f"{M['spansDropped']}_total", "counter", "Spans dropped because the processor queue was full.", [("", tracing.spans_dropped)])
        metric(f"{M['exportCalls']}_total", "counter", "Export calls.", [("", tracing.export_calls)])
        metric(M["exportDurationSum"], "counter", "Total time spent in export calls.", [("", tracing.export_seconds)])
        metric(f"{M['exportCpu']}_total", "counter", "CPU time of export calls, on the exporting thread's own clock.", [("", tracing.export_cpu_seconds)])
        if export_thread_cpu is not None:
            metric(f"{M['exportThreadCpu']}_total", "counter", "CPU time of the SDK's export thread(s), from their CPU clocks.", [("", export_thread_cpu)])
        if gil is not None:
            metric(M["gilContention"], "gauge", "GIL contention since the last reset (gilknocker: waited / sampled time).", [("", gil)])
        metric(f"{M['cpuSeconds']}_total", "counter", "User and system CPU time.", [("", time.process_time())])
        metric(M["residentMemory"], "gauge", "Resident set size.", [("", _rss_bytes())])
        return "\n".join(lines) + "\n"
