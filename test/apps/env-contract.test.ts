// One environment, both apps: each prints what it parsed (--print-settings), and the two
// must agree — values, defaults, JavaScript number parsing, and the error that names a bad
// variable. The env the charts and the lab write (settingsEnv) round-trips through both.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { settingsEnv } from '../../contracts/target-app.ts';
import { PYTHON_APP_SRC } from '../../infra/tools/python.ts';
import { settingsFor } from '../support/lab.ts';
import { venvPython } from '../support/python.ts';

const root = new URL('../..', import.meta.url).pathname;
/** Only the contract's variables: nothing of the test runner's env leaks in. */
const clean = (env: Record<string, string>) => ({ PATH: process.env.PATH ?? '', ...env });

function parsedBy(app: 'node' | 'python', env: Record<string, string>) {
  const result =
    app === 'node'
      ? spawnSync(process.execPath, [join(root, 'apps/target-node/src/server.ts'), '--print-settings'], { env: clean(env), encoding: 'utf8' })
      : spawnSync(venvPython(5), ['-m', 'tracelab_target', '--print-settings'], { env: clean({ ...env, PYTHONPATH: PYTHON_APP_SRC }), encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr.trim() };
}

describe('the env contract is the same for the node and the python app', { timeout: 60_000 }, () => {
  const written = (kind: 'baseline' | 'inprocess' | 'collector', endpoint?: string) =>
    Object.fromEntries(settingsEnv({ ...settingsFor(kind, endpoint, { instrumentation: { style: 'active', captureIO: false } }), port: 8123 }));

  it.each([
    ['defaults only', {}],
    ['baseline as the lab writes it', written('baseline')],
    ['inprocess as the lab writes it', written('inprocess', 'http://127.0.0.1:3000')],
    ['collector as the lab writes it', written('collector', 'http://127.0.0.1:4318/v1/traces')],
    ['an empty value reads as unset (its default)', { TRACELAB_PAYLOAD_BYTES: '', TRACELAB_TOPOLOGY: '' }],
    ['uvloop, auto style, hand-built setup', { TRACELAB_EVENT_LOOP: 'uvloop', TRACELAB_INSTRUMENTATION_STYLE: 'auto', TRACELAB_SDK_SETUP: 'hand-built' }],
    [
      'numbers as JavaScript reads them',
      { PORT: ' 7 ', TRACELAB_SDK_BATCH_SIZE: '1e3', TRACELAB_SDK_QUEUE_SIZE: '0x10', TRACELAB_SDK_SAMPLING_RATIO: '.25', TRACELAB_TOOL_CALLS: '   ' },
    ],
  ])('%s: both parse the same settings', (_label, env) => {
    const node = parsedBy('node', env);
    const python = parsedBy('python', env);
    expect(node.status, node.stderr).toBe(0);
    expect(python.status, python.stderr).toBe(0);
    expect(JSON.parse(python.stdout)).toEqual(JSON.parse(node.stdout));
    expect(python.stdout.trim()).toBe(node.stdout.trim()); // byte for byte, key order included
  });

  it.each([
    [{ TRACELAB_TRACING: 'jaeger' }, /TRACELAB_TRACING must be one of none \| langfuse \| otlp, got "jaeger"/],
    [{ TRACELAB_TRACING: 'otlp' }, /OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is not set/],
    [{ TRACELAB_TRACING: 'langfuse' }, /LANGFUSE_BASE_URL is not set/],
    [{ TRACELAB_SDK_BATCH_SIZE: 'lots' }, /TRACELAB_SDK_BATCH_SIZE must be a non-negative number, got "lots"/],
    [{ TRACELAB_SDK_BATCH_SIZE: '1_000' }, /got "1_000"/],
    [{ TRACELAB_LLM_LATENCY_MS: 'inf' }, /TRACELAB_LLM_LATENCY_MS must be a non-negative number/],
    [{ TRACELAB_LLM_LATENCY_MS: 'Infinity' }, /TRACELAB_LLM_LATENCY_MS must be a non-negative number/],
    [{ TRACELAB_CPU_WORK_MS: '-1' }, /TRACELAB_CPU_WORK_MS must be a non-negative number, got "-1"/],
    [{ TRACELAB_TRACING: 'otlp', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '' }, /OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is not set/],
    [{ TRACELAB_CAPTURE_IO: 'yes' }, /TRACELAB_CAPTURE_IO must be one of true \| false, got "yes"/],
    [{ TRACELAB_EVENT_LOOP: 'trio' }, /TRACELAB_EVENT_LOOP must be one of asyncio \| uvloop, got "trio"/],
    [{ TRACELAB_TRACING: 'otlp', TRACELAB_SDK_BATCH_SIZE: 'x' }, /OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is not set/], // the same error first
  ])('rejects %o with the same message, naming the variable', (env, message) => {
    const node = parsedBy('node', env);
    const python = parsedBy('python', env);
    expect(node.status).toBe(2);
    expect(node.stderr).toMatch(message);
    expect({ status: python.status, stderr: python.stderr }).toEqual({ status: node.status, stderr: node.stderr });
  });
});
