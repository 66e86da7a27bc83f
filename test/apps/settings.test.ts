// The target app's env contract: what the charts and the lab write is what the app reads,
// and a bad value is rejected with the variable's name.
import { describe, expect, it } from 'vitest';
import { readSettings, settingsEnv } from '../../contracts/target-app.ts';
import { settingsFor } from '../support/lab.ts';

describe('target-node settings from env', () => {
  it.each([
    ['baseline', undefined],
    ['inprocess', 'http://127.0.0.1:3000'],
    ['collector', 'http://127.0.0.1:4318/v1/traces'],
  ] as const)('%s: what settingsEnv writes, readSettings reads back unchanged', (kind, endpoint) => {
    const written = { ...settingsFor(kind, endpoint, { instrumentation: { style: 'manual', captureIO: false } }), port: 8123 };
    expect(readSettings(Object.fromEntries(settingsEnv(written)))).toEqual(written);
  });

  it.each([
    [{ TRACELAB_TRACING: 'jaeger' }, /TRACELAB_TRACING must be one of none \| langfuse \| otlp, got "jaeger"/],
    [{ TRACELAB_TRACING: 'otlp' }, /OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is not set/],
    [{ TRACELAB_TRACING: 'langfuse' }, /LANGFUSE_BASE_URL is not set/],
    [{ TRACELAB_SDK_BATCH_SIZE: 'lots' }, /TRACELAB_SDK_BATCH_SIZE must be a non-negative number, got "lots"/],
    [{ TRACELAB_CAPTURE_IO: 'yes' }, /TRACELAB_CAPTURE_IO must be one of true \| false/],
  ])('rejects %o naming the variable', (env, message) => {
    expect(() => readSettings(env)).toThrow(message);
  });
});
