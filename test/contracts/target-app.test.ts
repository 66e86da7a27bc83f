// The target app's env contract: the variable names the charts and the lab write, the
// defaults the app falls back to, and every way a value is refused.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readSettings, settingsEnv, targetSettings, type TargetSettings } from '../../contracts/target-app.ts';
import { parseSpec } from '../../contracts/spec/read.ts';
import { minimal } from '../support/specs.ts';
import { runs } from '../support/property-runs.ts';

const DEFAULTS: TargetSettings = {
  topology: 'baseline',
  tracing: 'none',
  port: 8080,
  eventLoop: 'asyncio',
  endpoint: undefined,
  sdk: {
    batchSize: 512,
    flushIntervalMs: 5000,
    queueSize: 2048,
    exportTimeoutMs: 30000,
    exportMode: 'batched',
    setup: 'documented',
    serializeIn: 'loop',
    samplingRatio: 1,
  },
  instrumentation: { style: 'observe', captureIO: true, antiPattern: 'none' },
  workload: { spansPerRequest: 6, nestingDepth: 3, toolCalls: 1, payloadBytes: 2048, llmLatencyMs: 100, llmJitterMs: 20, cpuWorkMs: 2 },
};

describe('readSettings', () => {
  it('an empty env is the untraced baseline with the schema defaults', () => {
    expect(readSettings({})).toEqual(DEFAULTS);
  });

  it('an empty value counts as unset', () => {
    expect(readSettings({ TRACELAB_SDK_BATCH_SIZE: '', TRACELAB_TOPOLOGY: '' })).toEqual(DEFAULTS);
    expect(() => readSettings({ TRACELAB_TRACING: 'otlp', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '' })).toThrow(
      'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is not set (the charts and the local lab set it from the spec)',
    );
  });

  it('reads the endpoint from the variable of its tracing mode only', () => {
    const both = { LANGFUSE_BASE_URL: 'http://lf', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://col/v1/traces' };
    expect(readSettings({ ...both, TRACELAB_TRACING: 'langfuse' }).endpoint).toBe('http://lf');
    expect(readSettings({ ...both, TRACELAB_TRACING: 'otlp' }).endpoint).toBe('http://col/v1/traces');
    expect(readSettings({ ...both, TRACELAB_TRACING: 'none' }).endpoint).toBeUndefined();
  });

  it.each([
    ['TRACELAB_SDK_QUEUE_SIZE', '-1'],
    ['TRACELAB_SDK_QUEUE_SIZE', 'Infinity'],
    ['PORT', 'http'],
    ['TRACELAB_LLM_LATENCY_MS', '100ms'],
  ])('%s=%s is refused as not a non-negative number', (name, value) => {
    expect(() => readSettings({ [name]: value })).toThrow(`${name} must be a non-negative number, got ${JSON.stringify(value)}`);
  });

  it('0 is a valid number (no jitter, no CPU work)', () => {
    expect(readSettings({ TRACELAB_LLM_JITTER_MS: '0', TRACELAB_CPU_WORK_MS: '0' }).workload).toMatchObject({ llmJitterMs: 0, cpuWorkMs: 0 });
  });

  it.each([
    ['TRACELAB_SDK_EXPORT_MODE', 'eager', 'batched | immediate'],
    ['TRACELAB_INSTRUMENTATION_STYLE', 'decorator', 'observe | active | manual | auto'],
    ['TRACELAB_ANTI_PATTERN', 'both', 'none | client-per-request | flush-per-request'],
    ['TRACELAB_CAPTURE_IO', 'TRUE', 'true | false'],
  ])('%s=%s is refused with the allowed values', (name, value, allowed) => {
    expect(() => readSettings({ [name]: value })).toThrow(`${name} must be one of ${allowed}, got "${value}"`);
  });
});

describe('settingsEnv', () => {
  const traced: TargetSettings = { ...DEFAULTS, topology: 'collector-64', tracing: 'otlp', port: 9000, endpoint: 'http://127.0.0.1:4318/v1/traces' };

  it('writes exactly the variables the charts and the lab agree on, as strings', () => {
    expect(Object.fromEntries(settingsEnv(traced))).toEqual({
      TRACELAB_TOPOLOGY: 'collector-64',
      TRACELAB_TRACING: 'otlp',
      PORT: '9000',
      TRACELAB_EVENT_LOOP: 'asyncio',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:4318/v1/traces',
      TRACELAB_SDK_BATCH_SIZE: '512',
      TRACELAB_SDK_FLUSH_INTERVAL_MS: '5000',
      TRACELAB_SDK_QUEUE_SIZE: '2048',
      TRACELAB_SDK_EXPORT_TIMEOUT_MS: '30000',
      TRACELAB_SDK_EXPORT_MODE: 'batched',
      TRACELAB_SDK_SAMPLING_RATIO: '1',
      TRACELAB_SDK_SETUP: 'documented',
      TRACELAB_SDK_SERIALIZE_IN: 'loop',
      TRACELAB_INSTRUMENTATION_STYLE: 'observe',
      TRACELAB_CAPTURE_IO: 'true',
      TRACELAB_ANTI_PATTERN: 'none',
      TRACELAB_SPANS_PER_REQUEST: '6',
      TRACELAB_NESTING_DEPTH: '3',
      TRACELAB_TOOL_CALLS: '1',
      TRACELAB_PAYLOAD_BYTES: '2048',
      TRACELAB_LLM_LATENCY_MS: '100',
      TRACELAB_LLM_JITTER_MS: '20',
      TRACELAB_CPU_WORK_MS: '2',
    });
  });

  it('langfuse mode writes LANGFUSE_BASE_URL; no endpoint writes neither endpoint variable', () => {
    const env = Object.fromEntries(settingsEnv({ ...traced, tracing: 'langfuse', endpoint: 'http://lf:3000' }));
    expect(env.LANGFUSE_BASE_URL).toBe('http://lf:3000');
    expect(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT).toBeUndefined();
    const none = Object.fromEntries(settingsEnv(DEFAULTS));
    expect(Object.keys(none).filter((k) => /ENDPOINT|BASE_URL/.test(k))).toEqual([]);
  });

  it('property: whatever settings are written, readSettings reads them back unchanged', () => {
    const nat = fc.integer({ min: 0, max: 1_000_000 });
    const settings = fc.record({
      topology: fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/),
      tracing: fc.constantFrom('langfuse' as const, 'otlp' as const),
      port: fc.integer({ min: 1, max: 65535 }),
      eventLoop: fc.constantFrom('asyncio' as const, 'uvloop' as const),
      endpoint: fc.stringMatching(/^http:\/\/[a-z0-9.-]{1,20}(:[0-9]{2,5})?(\/[a-z0-9/]{0,20})?$/),
      sdk: fc.record({
        batchSize: nat,
        flushIntervalMs: nat,
        queueSize: nat,
        exportTimeoutMs: nat,
        exportMode: fc.constantFrom('batched' as const, 'immediate' as const),
        setup: fc.constantFrom('documented' as const, 'hand-built' as const),
        serializeIn: fc.constantFrom('loop' as const, 'worker' as const),
        samplingRatio: fc.double({ min: 0, max: 1, noNaN: true }),
      }),
      instrumentation: fc.record({
        style: fc.constantFrom('observe' as const, 'active' as const, 'manual' as const, 'auto' as const),
        captureIO: fc.boolean(),
        antiPattern: fc.constantFrom('none' as const, 'client-per-request' as const, 'flush-per-request' as const),
      }),
      workload: fc.record({ spansPerRequest: nat, nestingDepth: nat, toolCalls: nat, payloadBytes: nat, llmLatencyMs: nat, llmJitterMs: nat, cpuWorkMs: nat }),
    });
    fc.assert(
      fc.property(settings, (s) => {
        expect(readSettings(Object.fromEntries(settingsEnv(s)))).toEqual(s);
      }),
      runs(100),
    );
  });
});

describe('targetSettings', () => {
  it('takes one topology of the spec, its SDK knobs with durations in ms, and the workload', () => {
    const doc = parseSpec(
      minimal(`  app: { workload: { llmLatency: 2s, llmJitter: 5ms, cpuWork: 1m, payloadBytes: 10, spansPerRequest: 4, nestingDepth: 2, toolCalls: 0 } }
  topologies:
    - topology: baseline
    - topology: collector
      name: collector-64
      sdk: { batchSize: 64, flushInterval: 250ms, queueSize: 128, exportTimeout: 3s, exportMode: immediate, samplingRatio: 0.5 }
      instrumentation: { style: manual, captureIO: false, antiPattern: flush-per-request }`),
    );
    expect(targetSettings(doc.spec.topologies[1], doc.spec.app.workload, 'otlp', 'http://gw/v1/traces', 9001)).toEqual({
      topology: 'collector-64',
      tracing: 'otlp',
      port: 9001,
      eventLoop: 'asyncio',
      endpoint: 'http://gw/v1/traces',
      sdk: {
        batchSize: 64,
        flushIntervalMs: 250,
        queueSize: 128,
        exportTimeoutMs: 3000,
        exportMode: 'immediate',
        setup: 'documented',
        serializeIn: 'loop',
        samplingRatio: 0.5,
      },
      instrumentation: { style: 'manual', captureIO: false, antiPattern: 'flush-per-request' },
      workload: { spansPerRequest: 4, nestingDepth: 2, toolCalls: 0, payloadBytes: 10, llmLatencyMs: 2000, llmJitterMs: 5, cpuWorkMs: 60000 },
    });
  });
});
