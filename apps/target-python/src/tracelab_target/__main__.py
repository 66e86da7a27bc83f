"""Entry point: `python -m tracelab_target` serves; `--print-settings` prints what the app
parsed from env (TargetSettings as JSON) and exits — the env-contract test runs it against
the node app's equivalent.

Serving: uvicorn, one worker, the chosen event loop (asyncio's own or uvloop), HTTP/1.1 by
h11. SIGTERM: stop accepting, let in-flight requests finish (their spans end), flush every
span, exit 0. uvicorn's own signal handling re-raises the signal after a graceful stop
(exit status 143), so the app handles SIGTERM itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import sys
import threading

from .settings import SettingsError, read_settings

SHUTDOWN_TIMEOUT_S = float(os.environ.get("TRACELAB_SHUTDOWN_TIMEOUT_MS", "25000")) / 1000


def main(argv) -> int:
    try:
        settings = read_settings(os.environ)
    except SettingsError as error:
        sys.stderr.write(f"{error}\n")
        return 2
    if "--print-settings" in argv:
        sys.stdout.write(settings.to_json() + "\n")
        return 0
    if settings.eventLoop == "uvloop":
        import uvloop

        loop_factory = uvloop.new_event_loop
    else:
        loop_factory = asyncio.SelectorEventLoop
    with asyncio.Runner(loop_factory=loop_factory) as runner:
        return runner.run(serve(settings))


async def serve(settings) -> int:
    import uvicorn

    from .gil import GilSampler
    from .loop_monitor import LoopMonitor
    from .metrics import AppMetrics
    from .plan import plan_spans
    from .server import App, create_app
    from .timeline import Timeline
    from .tracing import create_tracing
    from .workflow import Workflow

    timeline = Timeline()
    tracing = create_tracing(settings, timeline)
    w = settings.workload
    state = App(
        settings=settings,
        tracing=tracing,
        workflow=Workflow(plan_spans(int(w.spansPerRequest), int(w.nestingDepth), int(w.toolCalls)), w),
        metrics=AppMetrics(settings.topology),
        timeline=timeline,
        monitor=LoopMonitor(timeline),
        gil=GilSampler(),
        event_loop=settings.eventLoop,
    )
    app = create_app(state)
    tracing.instrument(app)

    class Server(uvicorn.Server):
        @contextlib.contextmanager
        def capture_signals(self):
            yield  # the app's own handlers below

        async def startup(self, sockets=None):
            await super().startup(sockets)
            if self.started:
                port = self.servers[0].sockets[0].getsockname()[1]
                # One machine-readable line: the lab and the tests wait for it.
                line = {"event": "listening", "port": port, "topology": settings.topology, "tracing": settings.tracing}
                line |= {"runtime": state.runtime, "sdk": tracing.sdk}
                print(json.dumps(line), flush=True)

    config = uvicorn.Config(
        app,
        host=os.environ.get("HOST", "0.0.0.0"),
        port=int(settings.port),
        http="h11",
        lifespan="off",
        log_level="warning",
        access_log=False,
        timeout_keep_alive=65,
        timeout_graceful_shutdown=SHUTDOWN_TIMEOUT_S,
    )
    server = Server(config)

    def begin_shutdown(signame: str) -> None:
        if state.draining:
            return
        state.draining = True
        watchdog = threading.Timer(SHUTDOWN_TIMEOUT_S, _give_up)
        watchdog.daemon = True
        watchdog.start()
        server.should_exit = True

    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, begin_shutdown, sig.name)
    state.monitor.start()
    state.gil.start()
    await server.serve()
    # Connections are closed and in-flight requests answered: every span has ended. Flush.
    state.monitor.stop()
    state.gil.stop()
    tracing.shutdown()
    timeline.close()
    state.gil.settle()
    c = tracing.counters
    sys.stderr.write(
        f"target-python: drained; spans ended {c.spans_ended}, exported {c.spans_exported}, failed {c.spans_export_failed}, dropped {c.spans_dropped}\n"
    )
    return 0


def _give_up() -> None:
    sys.stderr.write(f"target-python: shutdown took longer than {SHUTDOWN_TIMEOUT_S:.0f} s; exiting with spans possibly unflushed\n")
    sys.stderr.flush()
    os._exit(1)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
