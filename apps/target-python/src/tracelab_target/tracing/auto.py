"""Style auto, the field report's pattern 6: OpenTelemetry's HTTP auto-instrumentation beside
the Langfuse SDK — the FastAPI (ASGI server) instrumentor on the app and the HTTPX client
instrumentor (the client the Langfuse SDK and most LLM clients use). Both record on the
tracer provider the Langfuse client installed, so their spans reach Langfuse with the rest.

The workflow makes no outbound HTTP call (its LLM is simulated), so the client
instrumentation costs only its patching; the server span becomes each trace's root.
"""

from __future__ import annotations

from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor

from ..contract import PATHS


def instrument_http(app, provider) -> None:
    # The lab's own endpoints stay untraced, as a service leaves its probes out.
    lab_endpoints = ",".join(f"{path}$" for key, path in PATHS.items() if key != "chat")  # searched in the full URL
    FastAPIInstrumentor.instrument_app(app, tracer_provider=provider, excluded_urls=lab_endpoints)
    HTTPXClientInstrumentor().instrument(tracer_provider=provider)
