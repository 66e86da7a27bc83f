"""The parts of contracts/ the Python app needs, copied as constants.

contracts/ is TypeScript; the app image carries only this folder. test/apps/target-python
compares every value here with the TypeScript contract, so the two cannot drift silently.
"""

# contracts/app-metrics.ts APP_PATHS
PATHS = {
    "chat": "/webhook/chat",
    "health": "/healthz",
    "metrics": "/metrics",
    "resetWindow": "/metrics/reset",
    "flush": "/admin/flush",
    "slot": "/admin/slot",
    "timeline": "/debug/timeline",
}

SEQ_HEADER = "x-tracelab-seq"
SLOT_ATTRIBUTE = "tracelab.slot"

# contracts/slot-environment.ts: the Langfuse environment of a slot, so a real Langfuse can
# count a slot's observations through its public API.
ENVIRONMENT_ATTRIBUTE = "langfuse.environment"


def slot_environment(slot: str) -> str:
    import hashlib

    return "tracelab-" + hashlib.sha256(slot.encode("utf-8")).hexdigest()[:16]

# contracts/app-metrics.ts APP_METRICS (counters without their _total suffix)
METRICS = {
    "requests": "tracelab_requests",
    "requestDuration": "tracelab_request_duration_seconds",
    "eventLoopDelay": "tracelab_event_loop_delay_seconds",
    "spansStarted": "tracelab_spans_started",
    "spansEnded": "tracelab_spans_ended",
    "spansExported": "tracelab_spans_exported",
    "spansExportFailed": "tracelab_spans_export_failed",
    "spansDropped": "tracelab_spans_dropped",
    "exportCalls": "tracelab_export_calls",
    "exportDurationSum": "tracelab_export_duration_seconds_sum",
    "cpuSeconds": "process_cpu_seconds",
    "residentMemory": "process_resident_memory_bytes",
    "exportThreadCpu": "tracelab_export_thread_cpu_seconds",
    "exportCpu": "tracelab_export_cpu_seconds",
    "gilContention": "tracelab_gil_contention_ratio",
}

# contracts/app-timeline.ts
TIMELINE_LIMIT = 200_000
STALL_THRESHOLD_MS = 5
