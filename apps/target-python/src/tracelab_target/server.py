"""The HTTP surface (contracts/app-metrics.ts APP_PATHS) on FastAPI: the chat webhook, health,
metrics, the window reset, flush, the lab slot and the timeline.

The chat body is parsed by hand rather than through a pydantic model so a bad body gets the
node app's answer (400 with {"error": ...}); everything else is plain FastAPI.
"""

from __future__ import annotations

import asyncio
import json
import math
import platform
import time
from dataclasses import dataclass

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from .contract import PATHS, SEQ_HEADER
from .gil import GilSampler
from .loop_monitor import LoopMonitor
from .metrics import AppMetrics
from .settings import js_number
from .timeline import Timeline, epoch_ms
from .tracing.types import Tracing
from .workflow import Workflow


@dataclass
class App:
    """Everything a route reads, in one place."""

    settings: object
    tracing: Tracing
    workflow: Workflow
    metrics: AppMetrics
    timeline: Timeline
    monitor: LoopMonitor
    gil: GilSampler
    event_loop: str
    draining: bool = False

    @property
    def runtime(self) -> str:
        return f"python {platform.python_version()} ({self.event_loop})"


def _sequence(request: Request) -> int:
    """The x-tracelab-seq header as a non-negative safe integer, or -1 (as the node app reads it)."""
    text = request.headers.get(SEQ_HEADER)
    seq = math.nan if text is None else js_number(text)
    return int(seq) if math.isfinite(seq) and seq.is_integer() and 0 <= seq < 2**53 else -1


def create_app(state: App) -> FastAPI:
    # FastAPI's native telemetry keeps its defaults (what users run; with a tracer provider
    # installed it adds server and operation spans) for the chat webhook. The lab's own
    # endpoints are excluded, as a service excludes its probes from tracing.
    chat_only = {"exclude": lambda scope: scope.get("path") != PATHS["chat"]}
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None, telemetry=chat_only)

    def answer(status: int, body) -> Response:
        # While draining, every answer closes its connection so keep-alive clients move on.
        headers = {"connection": "close"} if state.draining else None
        if status == 204:
            return Response(status_code=204, headers=headers)
        return JSONResponse(body, status_code=status, headers=headers)

    @app.post(PATHS["chat"])
    async def chat(request: Request):
        # A request that arrives on a kept-alive connection after SIGTERM is refused, not traced.
        if state.draining:
            return answer(503, {"error": "shutting down"})
        started = time.perf_counter()
        start_ms = epoch_ms()
        seq = _sequence(request)
        ok = False
        try:
            try:
                parsed = json.loads(await request.body())
            except ValueError as error:
                return answer(400, {"error": str(error)})
            if not isinstance(parsed, dict) or not isinstance(parsed.get("message"), str):
                return answer(400, {"error": 'body must be JSON with a "message" string'})
            user_id = str(parsed.get("userId") or "anonymous")
            session_id = str(parsed.get("sessionId") or "none")
            result = await state.workflow.handle(state.tracing, user_id, session_id, parsed["message"], seq)
            ok = True
            return answer(200, result)
        except Exception as error:  # as the node app: 500 with the message
            return answer(500, {"error": str(error)})
        finally:
            state.metrics.observe_request(time.perf_counter() - started, ok)
            state.timeline.request(seq, start_ms, epoch_ms(), ok)

    @app.get(PATHS["health"])
    async def health():
        s = state.settings
        body = {"status": "draining" if state.draining else "ok", "topology": s.topology, "tracing": s.tracing}
        body |= {"runtime": state.runtime, "sdk": state.tracing.sdk}
        return answer(503 if state.draining else 200, body)

    @app.get(PATHS["metrics"])
    async def metrics():
        text = state.metrics.render(state.tracing.counters, state.monitor.histogram, state.tracing.export_thread_cpu_seconds(), state.gil.contention())
        return PlainTextResponse(text, media_type="text/plain; version=0.0.4")

    @app.post(PATHS["flush"])
    async def flush():
        # The lab flushes between rounds; the export runs on a worker thread, not the loop.
        await asyncio.to_thread(state.tracing.flush)
        return answer(204, None)

    @app.post(PATHS["resetWindow"])
    async def reset_window():
        state.monitor.histogram.reset()
        state.timeline.reset()
        state.gil.reset()
        return answer(204, None)

    @app.post(PATHS["slot"])
    async def set_slot(request: Request):
        try:
            slot = json.loads(await request.body()).get("slot")
        except (ValueError, AttributeError) as error:
            return answer(400, {"error": str(error)})
        if not isinstance(slot, str) or slot == "" or len(slot) > 200:
            return answer(400, {"error": 'body must be JSON with a "slot" string (1-200 characters)'})
        state.tracing.set_slot(slot)
        return answer(204, None)

    @app.get(PATHS["timeline"])
    async def timeline():
        return answer(200, state.timeline.snapshot())

    @app.exception_handler(StarletteHTTPException)
    async def no_route(request: Request, error: StarletteHTTPException):
        if error.status_code in (404, 405):
            return answer(404, {"error": f"no route {request.method} {request.url.path}"})
        return answer(error.status_code, {"error": str(error.detail)})

    return app
