"""The Langfuse client as the SDK's docs tell users to set it up: `Langfuse(...)` once, which
installs a global OpenTelemetry TracerProvider with the LangfuseSpanProcessor (a
BatchSpanProcessor on a background thread, exporting OTLP/HTTP protobuf).

Where spans go:
  langfuse mode: straight to LANGFUSE_BASE_URL (+ /api/public/otel/v1/traces), Basic auth.
  otlp mode:     the SDK's own exporter, pointed at the collector's OTLP/HTTP receiver with
                 the SDK's documented LANGFUSE_OTEL_TRACES_EXPORT_PATH: base URL = the
                 collector's origin, path = its /v1/traces. The collector adds Langfuse's
                 auth on its way on, so the app holds no keys (placeholders satisfy the SDK).

The SDK knobs are applied through both the constructor and the SDK's environment variables:
langfuse 3.x reads flush_at / flush_interval only when LANGFUSE_FLUSH_AT /
LANGFUSE_FLUSH_INTERVAL are set (an operator-precedence slip in its span processor), and
neither line has a queue-size option (OpenTelemetry's OTEL_BSP_MAX_QUEUE_SIZE sets it).
check_processor() reads back what the batch processor really got.
"""

from __future__ import annotations

import os
import sys
from typing import Any
from urllib.parse import urlsplit

PLACEHOLDER_KEYS = {"public_key": "pk-lf-collector-adds-auth", "secret_key": "sk-lf-collector-adds-auth"}


def sdk_line() -> int:
    from importlib.metadata import version

    return int(version("langfuse").split(".")[0])


def client_options(settings, env=os.environ) -> dict[str, Any]:
    """Constructor arguments for Langfuse(...), the same for the app's client and per-request ones."""
    sdk = settings.sdk
    if settings.tracing == "langfuse":
        public_key, secret_key = env.get("LANGFUSE_PUBLIC_KEY"), env.get("LANGFUSE_SECRET_KEY")
        if not public_key or not secret_key:
            raise ValueError("LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY must be set in langfuse tracing mode")
        keys = {"public_key": public_key, "secret_key": secret_key}
        base_url = settings.endpoint
    else:
        keys = dict(PLACEHOLDER_KEYS)
        url = urlsplit(settings.endpoint)
        base_url = f"{url.scheme}://{url.netloc}"
    options: dict[str, Any] = {
        **keys,
        "base_url": base_url.rstrip("/"),
        "flush_at": int(sdk.batchSize),
        "flush_interval": sdk.flushIntervalMs / 1000,
        # Whole seconds in both lines; below 1 s means the SDK default, so round up.
        "timeout": max(1, round(sdk.exportTimeoutMs / 1000)),
        "sample_rate": sdk.samplingRatio,
    }
    if settings.instrumentation.style == "auto" and sdk_line() >= 5:
        # Line 5 exports only Langfuse and gen-ai spans by default; a user who adds HTTP
        # auto-instrumentation wants those spans too (line 3 exports every span anyway).
        options["should_export_span"] = lambda span: True
    return options


def apply_sdk_env(settings, env=os.environ) -> None:
    """The SDK's own environment variables for the knobs (see the module note), and the
    resource attributes every span carries (OpenTelemetry's variables: the Langfuse client
    builds its provider's Resource from them), as the node app sets them."""
    sdk = settings.sdk
    env["OTEL_SERVICE_NAME"] = "tracelab-target-python"
    env["OTEL_RESOURCE_ATTRIBUTES"] = ",".join(filter(None, [env.get("OTEL_RESOURCE_ATTRIBUTES"), f"tracelab.topology={settings.topology}"]))
    env["LANGFUSE_FLUSH_AT"] = str(int(sdk.batchSize))
    env["LANGFUSE_FLUSH_INTERVAL"] = repr(sdk.flushIntervalMs / 1000)
    env["OTEL_BSP_MAX_QUEUE_SIZE"] = str(int(sdk.queueSize))
    if settings.tracing == "otlp":
        env["LANGFUSE_OTEL_TRACES_EXPORT_PATH"] = urlsplit(settings.endpoint).path.lstrip("/")


def check_processor(processor, settings) -> None:
    """Says so when the batch processor did not get the spec's knobs, instead of pretending."""
    queue = getattr(processor, "_batch_processor", None)
    if queue is None:
        sys.stderr.write("target-python: the SDK's span processor internals changed; spans are NOT counted\n")
        return
    sdk = settings.sdk
    wanted = {"_max_export_batch_size": int(sdk.batchSize), "_schedule_delay_millis": sdk.flushIntervalMs, "_max_queue_size": int(sdk.queueSize)}
    for field, value in wanted.items():
        got = getattr(queue, field, None)
        if got != value:
            sys.stderr.write(f"target-python: batch processor {field} is {got}, not {value}: that sdk knob is NOT applied\n")
