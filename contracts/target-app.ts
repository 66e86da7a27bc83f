// The target app's configuration contract. The app reads it from env (readSettings); the
// charts and the local lab write it (settingsEnv). One file, so both sides cannot drift.
import { durationMs } from './duration.ts';
import type { EventLoop } from './spec/runtimes.ts';
import type { Instrumentation, SdkSettings, Topology, Workload } from './spec/schema.ts';
import type { TracingMode } from './spec/topology.ts';

export interface TargetSettings {
  readonly topology: string;
  readonly tracing: TracingMode;
  readonly port: number;
  /** Python only (the node app reads and ignores it): asyncio's own loop or uvloop. */
  readonly eventLoop: EventLoop;
  /** langfuse mode: Langfuse base URL; otlp mode: OTLP/HTTP traces URL. */
  readonly endpoint?: string;
  readonly sdk: {
    batchSize: number;
    flushIntervalMs: number;
    queueSize: number;
    exportTimeoutMs: number;
    exportMode: SdkSettings['exportMode'];
    setup: SdkSettings['setup'];
    serializeIn: SdkSettings['serializeIn'];
    samplingRatio: number;
  };
  readonly instrumentation: Instrumentation;
  readonly workload: {
    spansPerRequest: number;
    nestingDepth: number;
    toolCalls: number;
    payloadBytes: number;
    llmLatencyMs: number;
    llmJitterMs: number;
    cpuWorkMs: number;
  };
}

/** Settings for one topology of the spec, with the endpoint the target resolved. */
export function targetSettings(topology: Topology, workload: Workload, tracing: TracingMode, endpoint: string | undefined, port: number): TargetSettings {
  const { sdk } = topology;
  return {
    topology: topology.name,
    tracing,
    port,
    eventLoop: topology.eventLoop,
    endpoint,
    sdk: {
      batchSize: sdk.batchSize,
      flushIntervalMs: durationMs(sdk.flushInterval),
      queueSize: sdk.queueSize,
      exportTimeoutMs: durationMs(sdk.exportTimeout),
      exportMode: sdk.exportMode,
      samplingRatio: sdk.samplingRatio,
      setup: sdk.setup,
      serializeIn: sdk.serializeIn,
    },
    instrumentation: topology.instrumentation,
    workload: {
      spansPerRequest: workload.spansPerRequest,
      nestingDepth: workload.nestingDepth,
      toolCalls: workload.toolCalls,
      payloadBytes: workload.payloadBytes,
      llmLatencyMs: durationMs(workload.llmLatency),
      llmJitterMs: durationMs(workload.llmJitter),
      cpuWorkMs: durationMs(workload.cpuWork),
    },
  };
}

const ENV = {
  topology: 'TRACELAB_TOPOLOGY',
  tracing: 'TRACELAB_TRACING',
  port: 'PORT',
  eventLoop: 'TRACELAB_EVENT_LOOP',
  langfuseBaseUrl: 'LANGFUSE_BASE_URL',
  otlpTracesUrl: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  batchSize: 'TRACELAB_SDK_BATCH_SIZE',
  flushIntervalMs: 'TRACELAB_SDK_FLUSH_INTERVAL_MS',
  queueSize: 'TRACELAB_SDK_QUEUE_SIZE',
  exportTimeoutMs: 'TRACELAB_SDK_EXPORT_TIMEOUT_MS',
  exportMode: 'TRACELAB_SDK_EXPORT_MODE',
  samplingRatio: 'TRACELAB_SDK_SAMPLING_RATIO',
  setup: 'TRACELAB_SDK_SETUP',
  serializeIn: 'TRACELAB_SDK_SERIALIZE_IN',
  style: 'TRACELAB_INSTRUMENTATION_STYLE',
  captureIO: 'TRACELAB_CAPTURE_IO',
  antiPattern: 'TRACELAB_ANTI_PATTERN',
  spansPerRequest: 'TRACELAB_SPANS_PER_REQUEST',
  nestingDepth: 'TRACELAB_NESTING_DEPTH',
  toolCalls: 'TRACELAB_TOOL_CALLS',
  payloadBytes: 'TRACELAB_PAYLOAD_BYTES',
  llmLatencyMs: 'TRACELAB_LLM_LATENCY_MS',
  llmJitterMs: 'TRACELAB_LLM_JITTER_MS',
  cpuWorkMs: 'TRACELAB_CPU_WORK_MS',
} as const;

/**
 * The lab slot an app starts in (a restart under load mid-slot): its first span already carries
 * it, where POST /admin/slot would come a moment too late. Optional; the lab usually POSTs it.
 */
export const SLOT_ENV = 'TRACELAB_SLOT';

/** Keys the app reads for Langfuse Basic auth (from a Secret in the cluster). */
export const KEY_ENV = { publicKey: 'LANGFUSE_PUBLIC_KEY', secretKey: 'LANGFUSE_SECRET_KEY' } as const;

export function settingsEnv(s: TargetSettings): Array<[string, string]> {
  const env: Array<[string, string]> = [
    [ENV.topology, s.topology],
    [ENV.tracing, s.tracing],
    [ENV.port, String(s.port)],
    [ENV.eventLoop, s.eventLoop],
  ];
  if (s.endpoint) env.push([s.tracing === 'langfuse' ? ENV.langfuseBaseUrl : ENV.otlpTracesUrl, s.endpoint]);
  const put = (record: Record<string, string | number | boolean>) => {
    for (const [k, v] of Object.entries(record)) env.push([ENV[k as keyof typeof ENV], String(v)]);
  };
  put(s.sdk);
  put(s.instrumentation);
  put(s.workload);
  return env;
}

/**
 * Reads the settings from env. Every runtime implements exactly this — same variables,
 * defaults and error messages (apps/target-python/src/tracelab_target/settings.py); a test
 * feeds both apps the same environment and compares what each parsed.
 */
export function readSettings(env: NodeJS.ProcessEnv = process.env): TargetSettings {
  const text = (name: string, fallback?: string): string => {
    // An empty value (a Kubernetes env entry with value "") means unset, as for most programs.
    const v = env[name] || fallback;
    if (v === undefined) throw new Error(`${name} is not set (the charts and the local lab set it from the spec)`);
    return v;
  };
  const num = (name: string, fallback?: number): number => {
    const v = Number(text(name, fallback === undefined ? undefined : String(fallback)));
    if (!Number.isFinite(v) || v < 0) throw new Error(`${name} must be a non-negative number, got ${JSON.stringify(env[name])}`);
    return v;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const v = text(name, fallback);
    if (!allowed.includes(v as T)) throw new Error(`${name} must be one of ${allowed.join(' | ')}, got ${JSON.stringify(v)}`);
    return v as T;
  };
  const tracing = oneOf<TracingMode>(ENV.tracing, ['none', 'langfuse', 'otlp'], 'none');
  return {
    topology: text(ENV.topology, 'baseline'),
    tracing,
    port: num(ENV.port, 8080),
    eventLoop: oneOf(ENV.eventLoop, ['asyncio', 'uvloop'], 'asyncio'),
    endpoint: tracing === 'langfuse' ? text(ENV.langfuseBaseUrl) : tracing === 'otlp' ? text(ENV.otlpTracesUrl) : undefined,
    sdk: {
      batchSize: num(ENV.batchSize, 512),
      flushIntervalMs: num(ENV.flushIntervalMs, 5000),
      queueSize: num(ENV.queueSize, 2048),
      exportTimeoutMs: num(ENV.exportTimeoutMs, 30000),
      exportMode: oneOf(ENV.exportMode, ['batched', 'immediate'], 'batched'),
      samplingRatio: num(ENV.samplingRatio, 1),
      setup: oneOf(ENV.setup, ['documented', 'hand-built'], 'documented'),
      serializeIn: oneOf(ENV.serializeIn, ['loop', 'worker'], 'loop'),
    },
    instrumentation: {
      style: oneOf(ENV.style, ['observe', 'active', 'manual', 'auto'], 'observe'),
      captureIO: oneOf(ENV.captureIO, ['true', 'false'], 'true') === 'true',
      antiPattern: oneOf(ENV.antiPattern, ['none', 'client-per-request', 'flush-per-request'], 'none'),
    },
    workload: {
      spansPerRequest: num(ENV.spansPerRequest, 6),
      nestingDepth: num(ENV.nestingDepth, 3),
      toolCalls: num(ENV.toolCalls, 1),
      payloadBytes: num(ENV.payloadBytes, 2048),
      llmLatencyMs: num(ENV.llmLatencyMs, 100),
      llmJitterMs: num(ENV.llmJitterMs, 20),
      cpuWorkMs: num(ENV.cpuWorkMs, 2),
    },
  };
}

/**
 * The simulated LLM latency's jitter for request `seq`, as a fraction in [-1, 1): a fixed
 * integer hash (lowbias32, by Chris Wellons) of the sequence number, so request n of every
 * slot waits the same time in every topology and round (common random numbers: the jitter
 * cancels out of the differences instead of widening their intervals). Every runtime
 * implements exactly this; a test compares them.
 */
export function llmJitterFraction(seq: number): number {
  // The golden-ratio offset keeps request 0 off the hash's fixed point (0 → 0 → −1).
  let x = (seq + 0x9e3779b9) >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return ((x >>> 0) / 4294967296) * 2 - 1;
}
