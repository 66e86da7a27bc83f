"""The app's configuration from env: contracts/target-app.ts readSettings, mirrored exactly.

Same variables, same defaults, same order of reading and the same error messages (naming
the variable), so a bad value fails the same way in either runtime. Numbers follow
JavaScript's Number() (the TypeScript reader's), not Python's float(): "0x10" is 16,
"1_000" and "inf" are not numbers, and blank text is 0.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import asdict, dataclass
from collections.abc import Mapping

ENV = {
    "topology": "TRACELAB_TOPOLOGY",
    "tracing": "TRACELAB_TRACING",
    "port": "PORT",
    "eventLoop": "TRACELAB_EVENT_LOOP",
    "langfuseBaseUrl": "LANGFUSE_BASE_URL",
    "otlpTracesUrl": "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
    "batchSize": "TRACELAB_SDK_BATCH_SIZE",
    "flushIntervalMs": "TRACELAB_SDK_FLUSH_INTERVAL_MS",
    "queueSize": "TRACELAB_SDK_QUEUE_SIZE",
    "exportTimeoutMs": "TRACELAB_SDK_EXPORT_TIMEOUT_MS",
    "exportMode": "TRACELAB_SDK_EXPORT_MODE",
    "samplingRatio": "TRACELAB_SDK_SAMPLING_RATIO",
    "setup": "TRACELAB_SDK_SETUP",
    "serializeIn": "TRACELAB_SDK_SERIALIZE_IN",
    "style": "TRACELAB_INSTRUMENTATION_STYLE",
    "captureIO": "TRACELAB_CAPTURE_IO",
    "antiPattern": "TRACELAB_ANTI_PATTERN",
    "spansPerRequest": "TRACELAB_SPANS_PER_REQUEST",
    "nestingDepth": "TRACELAB_NESTING_DEPTH",
    "toolCalls": "TRACELAB_TOOL_CALLS",
    "payloadBytes": "TRACELAB_PAYLOAD_BYTES",
    "llmLatencyMs": "TRACELAB_LLM_LATENCY_MS",
    "llmJitterMs": "TRACELAB_LLM_JITTER_MS",
    "cpuWorkMs": "TRACELAB_CPU_WORK_MS",
}


class SettingsError(ValueError):
    """A variable is missing or has a value the app cannot use; the message names it."""


@dataclass(frozen=True)
class Sdk:
    batchSize: float
    flushIntervalMs: float
    queueSize: float
    exportTimeoutMs: float
    exportMode: str
    samplingRatio: float
    setup: str
    serializeIn: str


@dataclass(frozen=True)
class Instrumentation:
    style: str
    captureIO: bool
    antiPattern: str


@dataclass(frozen=True)
class Workload:
    spansPerRequest: float
    nestingDepth: float
    toolCalls: float
    payloadBytes: float
    llmLatencyMs: float
    llmJitterMs: float
    cpuWorkMs: float


@dataclass(frozen=True)
class Settings:
    """Field names are the contract's (camelCase), so to_json() is TargetSettings as JSON."""

    topology: str
    tracing: str
    port: float
    eventLoop: str
    endpoint: str | None
    sdk: Sdk
    instrumentation: Instrumentation
    workload: Workload

    def to_json(self) -> str:
        data = asdict(self)
        if data["endpoint"] is None:
            del data["endpoint"]  # JSON.stringify leaves out undefined
        return json.dumps(_integral(data), ensure_ascii=False, separators=(",", ":"))


def _integral(value):
    """Whole floats as ints, as JavaScript prints numbers (8080, not 8080.0)."""
    if isinstance(value, dict):
        return {k: _integral(v) for k, v in value.items()}
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


_DECIMAL = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_RADIX = {"0x": 16, "0X": 16, "0o": 8, "0O": 8, "0b": 2, "0B": 2}
# JavaScript's white space and line terminators (what Number() trims).
_JS_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"


def js_number(text: str) -> float:
    """JavaScript's Number(text) for a string."""
    s = text.strip(_JS_SPACE)
    if s == "":
        return 0.0
    if s in ("Infinity", "+Infinity"):
        return math.inf
    if s == "-Infinity":
        return -math.inf
    radix = _RADIX.get(s[:2])
    if radix is not None:
        try:
            return float(int(s[2:], radix)) if s[2:] and "_" not in s else math.nan
        except ValueError:
            return math.nan
    return float(s) if _DECIMAL.fullmatch(s) else math.nan


def _stringify(value: str | None) -> str:
    """JSON.stringify of an env value (undefined prints as undefined)."""
    return "undefined" if value is None else json.dumps(value, ensure_ascii=False)


def read_settings(env: Mapping[str, str]) -> Settings:
    def text(name: str, fallback: str | None = None) -> str:
        # An empty value (a Kubernetes env entry with value "") means unset, as in the node app.
        v = env.get(name) or fallback
        if v is None or v == "":
            raise SettingsError(f"{name} is not set (the charts and the local lab set it from the spec)")
        return v

    def num(name: str, fallback: float | None = None) -> float:
        v = js_number(text(name, None if fallback is None else _js_string(fallback)))
        if not math.isfinite(v) or v < 0:
            raise SettingsError(f"{name} must be a non-negative number, got {_stringify(env.get(name))}")
        return v

    def one_of(name: str, allowed: tuple, fallback: str) -> str:
        v = text(name, fallback)
        if v not in allowed:
            raise SettingsError(f"{name} must be one of {' | '.join(allowed)}, got {_stringify(v)}")
        return v

    tracing = one_of(ENV["tracing"], ("none", "langfuse", "otlp"), "none")
    topology = text(ENV["topology"], "baseline")
    port = num(ENV["port"], 8080)
    event_loop = one_of(ENV["eventLoop"], ("asyncio", "uvloop"), "asyncio")
    endpoint = text(ENV["langfuseBaseUrl"]) if tracing == "langfuse" else text(ENV["otlpTracesUrl"]) if tracing == "otlp" else None
    sdk = Sdk(
        batchSize=num(ENV["batchSize"], 512),
        flushIntervalMs=num(ENV["flushIntervalMs"], 5000),
        queueSize=num(ENV["queueSize"], 2048),
        exportTimeoutMs=num(ENV["exportTimeoutMs"], 30000),
        exportMode=one_of(ENV["exportMode"], ("batched", "immediate"), "batched"),
        samplingRatio=num(ENV["samplingRatio"], 1),
        setup=one_of(ENV["setup"], ("documented", "hand-built"), "documented"),
        serializeIn=one_of(ENV["serializeIn"], ("loop", "worker"), "loop"),
    )
    instrumentation = Instrumentation(
        style=one_of(ENV["style"], ("observe", "active", "manual", "auto"), "observe"),
        captureIO=one_of(ENV["captureIO"], ("true", "false"), "true") == "true",
        antiPattern=one_of(ENV["antiPattern"], ("none", "client-per-request", "flush-per-request"), "none"),
    )
    workload = Workload(
        spansPerRequest=num(ENV["spansPerRequest"], 6),
        nestingDepth=num(ENV["nestingDepth"], 3),
        toolCalls=num(ENV["toolCalls"], 1),
        payloadBytes=num(ENV["payloadBytes"], 2048),
        llmLatencyMs=num(ENV["llmLatencyMs"], 100),
        llmJitterMs=num(ENV["llmJitterMs"], 20),
        cpuWorkMs=num(ENV["cpuWorkMs"], 2),
    )
    return Settings(topology, tracing, port, event_loop, endpoint, sdk, instrumentation, workload)


def _js_string(n: float) -> str:
    return str(int(n)) if float(n).is_integer() else repr(n)
