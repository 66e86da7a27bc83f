// Given the real Python app (FastAPI + uvicorn, in the venv of each Langfuse SDK line) in front
// of a real sink (and, for otlp, a real collector), when chat requests are served, then every
// trace arrives complete and well formed, its Langfuse observations shaped exactly as the
// span plan of the knobs, plus exactly the framework spans that SDK line exports.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { planSpans } from '../../apps/target-node/src/workflow-plan.ts';
import { type CollectorService, type Service, startCollector, startSink, startTarget } from '../../infra/local/services.ts';
import { toolPath } from '../support/binaries.ts';
import { defaultDoc, sendChats, settingsFor, waitForSpans } from '../support/lab.ts';
import { SDK_LINES, type PythonLine } from '../support/python.ts';
import { byTrace, isObservation, type KeptSpan, keptSpans, observationTree, planTree } from '../support/traces.ts';

const workDir = mkdtempSync(join(tmpdir(), 'tracelab-python-'));
let sink: Service;
let gateway: CollectorService;

beforeAll(async () => {
  sink = await startSink({ keepSpans: 20_000 });
  const collector = { ...defaultDoc().spec.collector, batch: { sendBatchSize: 64, sendBatchMaxSize: 128, timeout: '50ms' } };
  gateway = await startCollector('gateway', toolPath('otelcol'), collector, sink.url, { workDir });
});
afterAll(async () => {
  await gateway?.process.stop();
  await sink?.process.stop();
});
beforeEach(async () => {
  await fetch(`${sink.url}/admin/reset`, { method: 'POST' });
});

type Settings = ReturnType<typeof settingsFor>;
type Style = Settings['instrumentation']['style'];

/**
 * Spans besides the Langfuse observations, per trace. FastAPI 0.165 traces its own requests
 * (server span, dependencies, endpoint) on the provider Langfuse installs: line 3 exports
 * them, line 5 filters them out by default. Style auto's ASGI instrumentation adds a server
 * span and its receive/send spans; both lines export those (line 5 told to).
 */
const FRAMEWORK_SPANS: Record<'3' | '5' | 'auto', string[]> = {
  '3': ['POST /webhook/chat', 'fastapi.dependencies', 'fastapi.endpoint'],
  '5': [],
  auto: ['POST /webhook/chat', 'POST /webhook/chat http receive', 'POST /webhook/chat http send', 'POST /webhook/chat http send'],
};
const frameworkSpans = (line: PythonLine, style: Style) => FRAMEWORK_SPANS[style === 'auto' ? 'auto' : (String(line) as '3' | '5')];

async function serve(line: PythonLine, settings: Settings, requests: number, env: Record<string, string> = {}) {
  const app = await startTarget(settings, { app: { runtime: 'python', sdkVersion: line }, env });
  try {
    expect(await sendChats(app.url, requests)).toEqual({ ok: requests, failed: 0 });
  } finally {
    const code = await app.process.stop();
    expect(code, app.process.output).toBe(0);
  }
}

/** Every trace: one root (or, line 5, a root observation marked app root whose parent FastAPI span was filtered), parents inside the trace, the plan's tree, the line's framework spans, user and session on every observation, a generation with model and usage. */
function expectTraces(spans: KeptSpan[], traces: number, line: PythonLine, settings: Settings): void {
  const plan = planTree(planSpans(settings.workload));
  const extra = frameworkSpans(line, settings.instrumentation.style);
  const grouped = byTrace(spans);
  expect(grouped.size).toBe(traces);
  for (const [, trace] of grouped) {
    const ids = new Set(trace.map((s) => s.spanId));
    const roots = trace.filter((s) => !ids.has(s.parentSpanId));
    expect(roots).toHaveLength(1);
    const [root] = roots;
    if (root.parentSpanId) expect(root.attributes['langfuse.internal.is_app_root'], `${root.name} has a parent outside its trace`).toBe(true);
    else expect(root.name).toBe(extra[0] ?? 'chat-webhook');
    expect(observationTree(trace)).toEqual(plan);
    expect(
      trace
        .filter((s) => !isObservation(s))
        .map((s) => s.name)
        .sort(),
    ).toEqual([...extra].sort());
    const observations = trace.filter(isObservation);
    expect(observations.every((s) => s.attributes['user.id'] && s.attributes['session.id'])).toBe(true);
    const generation = observations.find((s) => s.attributes['langfuse.observation.type'] === 'generation')!;
    expect(generation.attributes['langfuse.observation.model.name']).toBe('gpt-4o-mini');
    expect(JSON.parse(String(generation.attributes['langfuse.observation.usage_details']))).toMatchObject({
      input: expect.any(Number),
      output: expect.any(Number),
    });
  }
}

const perTrace = (line: PythonLine, settings: Settings) => settings.workload.spansPerRequest + frameworkSpans(line, settings.instrumentation.style).length;

describe.each(SDK_LINES)('Langfuse Python SDK line %i', (line) => {
  it('inprocess (langfuse mode): every span goes straight to the backend, complete and well formed', async () => {
    const settings = settingsFor('inprocess', sink.url);
    await serve(line, settings, 10);
    const stats = await waitForSpans(sink.url, 10 * perTrace(line, settings));
    expect(stats.totals).toMatchObject({ spans: 10 * perTrace(line, settings), traces: 10, generations: 10 });
    expect(stats.rejected).toEqual({});
    expectTraces(await keptSpans(sink.url), 10, line, settings);
  });

  it("collector (otlp mode): the SDK's exporter sends through a real collector", async () => {
    const settings = settingsFor('collector', gateway.tracesUrl);
    await serve(line, settings, 10);
    const stats = await waitForSpans(sink.url, 10 * perTrace(line, settings));
    expect(stats.totals).toMatchObject({ spans: 10 * perTrace(line, settings), traces: 10 });
    expect(stats.groups[0].topology).toBe('collector');
    expectTraces(await keptSpans(sink.url), 10, line, settings);
  });

  it.each(['active', 'manual', 'auto'] as const)('%s style: the same observations, shaped as the plan', async (style) => {
    const settings = settingsFor('inprocess', sink.url, { instrumentation: { style } });
    await serve(line, settings, 4);
    await waitForSpans(sink.url, 4 * perTrace(line, settings));
    expectTraces(await keptSpans(sink.url), 4, line, settings);
  });

  it('other knobs, other tree: 12 spans, 5 deep, 3 parallel tool calls', async () => {
    const settings = settingsFor('inprocess', sink.url, { workload: { spansPerRequest: 12, nestingDepth: 5, toolCalls: 3 } });
    await serve(line, settings, 4);
    await waitForSpans(sink.url, 4 * perTrace(line, settings));
    expectTraces(await keptSpans(sink.url), 4, line, settings);
  });

  it('capture off: no input or output is exported', async () => {
    const settings = settingsFor('inprocess', sink.url, { instrumentation: { captureIO: false } });
    await serve(line, settings, 3);
    await waitForSpans(sink.url, 3 * perTrace(line, settings));
    const keys = (await keptSpans(sink.url)).flatMap((s) => Object.keys(s.attributes));
    expect(keys.some((k) => /observation\.(input|output)$/.test(k))).toBe(false);
  });

  it.each(['client-per-request', 'flush-per-request'] as const)('anti-pattern %s still delivers every span', async (antiPattern) => {
    const settings = settingsFor('collector', gateway.tracesUrl, { instrumentation: { antiPattern } });
    await serve(line, settings, 8);
    const stats = await waitForSpans(sink.url, 8 * perTrace(line, settings));
    expect(stats.totals).toMatchObject({ spans: 8 * perTrace(line, settings), traces: 8 });
  });

  it('SIGTERM under load: in-flight requests finish, every span of every answered request arrives', async () => {
    // A long flush interval keeps spans queued in the app when SIGTERM arrives. (Not 30 s as
    // in the node test: line 3's shutdown waits up to one flush interval for its score
    // ingestion thread, which polls its queue with that timeout — see the report.)
    const settings = settingsFor('inprocess', sink.url, { sdk: { flushIntervalMs: 10_000, batchSize: 10_000, queueSize: 10_000 } });
    const app = await startTarget(settings, { app: { runtime: 'python', sdkVersion: line } });
    const load = sendChats(app.url, 400, 8);
    const answered = async () => Number((await fetch(`${app.url}/metrics`).then((r) => r.text())).match(/outcome="ok"} (\d+)/)?.[1] ?? 0);
    while ((await answered()) < 20) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 300));
    const code = await app.process.stop();
    const outcome = await load;
    expect(code).toBe(0);
    expect(outcome.ok).toBeGreaterThan(0);
    expect(outcome.failed).toBeGreaterThan(0); // the app really stopped mid-load
    await waitForSpans(sink.url, outcome.ok * perTrace(line, settings), 5000);
    // Every answered request's trace, complete. (Line 3 also exports FastAPI's own spans of
    // requests refused with 503 while draining: traces without observations.)
    const [answeredTraces, refused] = [...byTrace(await keptSpans(sink.url)).values()].reduce<[KeptSpan[][], KeptSpan[][]]>(
      ([a, r], trace) => (trace.some(isObservation) ? [[...a, trace], r] : [a, [...r, trace]]),
      [[], []],
    );
    expect(answeredTraces).toHaveLength(outcome.ok);
    for (const trace of answeredTraces) expect(trace).toHaveLength(perTrace(line, settings));
    for (const trace of refused) expect(trace.map((s) => s.name).sort()).toEqual([...frameworkSpans(line, 'observe')].sort());
  });
});
