"""Tracing for the settings' mode. Traced modes are imported lazily: `none` loads no SDK.

The baseline imports only types.py (no OpenTelemetry SDK, no Langfuse). FastAPI itself
imports the OpenTelemetry *API* (a hard dependency since FastAPI's native telemetry); with no
provider installed that API stays a no-op, and FastAPI's telemetry stays off.
"""

from __future__ import annotations

from .types import Observer, Tracing


def create_tracing(settings, observer: Observer) -> Tracing:
    if settings.tracing == "none":
        return Tracing()
    from .langfuse_tracing import langfuse_tracing  # the SDK loads here, and only here

    return langfuse_tracing(settings, observer)
