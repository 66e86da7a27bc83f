// Given the real target app (and, for otlp, a real collector) in front of a real sink,
// when N chat requests are served, then exactly N traces of spansPerRequest spans arrive,
// correctly linked and carrying Langfuse's attributes.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startCollector, startSink, startTarget, type CollectorService, type Service } from '../../infra/local/services.ts';
import { toolPath } from '../support/binaries.ts';
import { defaultDoc, sendChats, settingsFor, sinkStats, waitForSpans } from '../support/lab.ts';

const SPANS = defaultDoc().spec.app.workload.spansPerRequest;
const workDir = mkdtempSync(join(tmpdir(), 'tracelab-target-'));
let sink: Service;
let gateway: CollectorService;

beforeAll(async () => {
  sink = await startSink({ keepSpans: 5000 });
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

interface KeptSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  attributes: Record<string, unknown>;
}
const keptSpans = async (): Promise<KeptSpan[]> => (await fetch(`${sink.url}/spans`)).json() as Promise<KeptSpan[]>;

/** Every trace has one root, every other span's parent is in the same trace. */
function expectWellFormedTraces(spans: KeptSpan[], traces: number): void {
  const byTrace = Map.groupBy(spans, (s) => s.traceId);
  expect(byTrace.size).toBe(traces);
  for (const [, trace] of byTrace) {
    expect(trace).toHaveLength(SPANS);
    const ids = new Set(trace.map((s) => s.spanId));
    expect(trace.filter((s) => !s.parentSpanId).map((s) => s.name)).toEqual(['chat-webhook']);
    for (const s of trace.filter((s) => s.parentSpanId)) expect(ids.has(s.parentSpanId), `${s.name} has a parent outside its trace`).toBe(true);
    const generation = trace.find((s) => s.attributes['langfuse.observation.type'] === 'generation')!;
    expect(generation.attributes['langfuse.observation.model.name']).toBe('gpt-4o-mini');
    expect(JSON.parse(String(generation.attributes['langfuse.observation.usage_details']))).toMatchObject({
      input: expect.any(Number),
      output: expect.any(Number),
    });
    expect(trace.every((s) => typeof s.attributes['user.id'] === 'string' && typeof s.attributes['session.id'] === 'string')).toBe(true);
  }
}

async function serve(settings: Parameters<typeof startTarget>[0], requests: number, env: Record<string, string> = {}) {
  const app = await startTarget(settings, { env });
  try {
    const outcome = await sendChats(app.url, requests);
    expect(outcome).toEqual({ ok: requests, failed: 0 });
  } finally {
    expect(await app.process.stop()).toBe(0);
  }
}

describe('tracing modes', () => {
  it('inprocess (langfuse mode): the Langfuse span processor delivers every span straight to the backend', async () => {
    await serve(settingsFor('inprocess', sink.url), 20);
    const stats = await waitForSpans(sink.url, 20 * SPANS);
    expect(stats.totals).toEqual({ spans: 20 * SPANS, traces: 20, rootSpans: 20, generations: 20 });
    expectWellFormedTraces(await keptSpans(), 20);
  });

  it('collector (otlp mode): spans go through a real collector process to the backend', async () => {
    await serve(settingsFor('collector', gateway.tracesUrl), 20);
    const stats = await waitForSpans(sink.url, 20 * SPANS);
    expect(stats.totals).toEqual({ spans: 20 * SPANS, traces: 20, rootSpans: 20, generations: 20 });
    expect(stats.groups[0].topology).toBe('collector');
    expectWellFormedTraces(await keptSpans(), 20);
  });

  it('baseline (none mode): nothing is exported and no OpenTelemetry or Langfuse module is loaded', async () => {
    const hook = new URL('../support/record-modules.mjs', import.meta.url).href;
    const loaded = async (mode: 'baseline' | 'inprocess') => {
      const file = join(workDir, `modules-${mode}.txt`);
      await serve(settingsFor(mode, mode === 'baseline' ? undefined : sink.url), 3, { NODE_OPTIONS: `--import ${hook}`, RECORD_MODULES_FILE: file });
      return readFileSync(file, 'utf8');
    };
    const baseline = await loaded('baseline');
    expect(baseline).toMatch(/apps\/target-node\/src\/server\.ts/); // the hook saw the app
    expect(baseline).not.toMatch(/@opentelemetry|@langfuse/);
    expect(await loaded('inprocess')).toMatch(/@opentelemetry\/sdk-trace-base/); // …and would have seen them
    await new Promise((r) => setTimeout(r, 300));
    expect((await sinkStats(sink.url)).totals.spans).toBe(3 * SPANS); // only inprocess exported
  });
});

describe('instrumentation styles and anti-patterns', () => {
  it.each(['observe', 'active', 'manual'] as const)('%s style produces the same well-formed traces', async (style) => {
    await serve(settingsFor('inprocess', sink.url, { instrumentation: { style } }), 5);
    await waitForSpans(sink.url, 5 * SPANS);
    expectWellFormedTraces(await keptSpans(), 5);
  });

  it('capture off: no input or output attributes are exported', async () => {
    await serve(settingsFor('inprocess', sink.url, { instrumentation: { captureIO: false } }), 3);
    await waitForSpans(sink.url, 3 * SPANS);
    const keys = (await keptSpans()).flatMap((s) => Object.keys(s.attributes));
    expect(keys.some((k) => /observation\.(input|output)$/.test(k))).toBe(false);
  });

  it('capture on: the payload is exported as input', async () => {
    await serve(settingsFor('inprocess', sink.url, { workload: { payloadBytes: 3000 } }), 2);
    await waitForSpans(sink.url, 2 * SPANS);
    const root = (await keptSpans()).find((s) => !s.parentSpanId)!;
    expect(String(root.attributes['langfuse.observation.input']).length).toBeGreaterThan(3000);
  });

  it('sampling ratio 0 keeps serving but exports nothing; immediate export mode delivers everything', async () => {
    await serve(settingsFor('collector', gateway.tracesUrl, { sdk: { samplingRatio: 0 } }), 5);
    await new Promise((r) => setTimeout(r, 500));
    expect((await sinkStats(sink.url)).totals.spans).toBe(0);
    await serve(settingsFor('inprocess', sink.url, { sdk: { exportMode: 'immediate' } }), 5);
    expect((await waitForSpans(sink.url, 5 * SPANS)).totals).toMatchObject({ spans: 5 * SPANS, traces: 5 });
  });

  it.each(['client-per-request', 'flush-per-request'] as const)('anti-pattern %s still delivers every span', async (antiPattern) => {
    await serve(settingsFor('collector', gateway.tracesUrl, { instrumentation: { antiPattern } }), 10);
    const stats = await waitForSpans(sink.url, 10 * SPANS);
    expect(stats.totals).toMatchObject({ spans: 10 * SPANS, traces: 10 });
  });
});

describe('tracer provider setup (sdk.setup) and auto-instrumentation', () => {
  /** Per trace, each span as name ← parent name with its attribute keys: what Langfuse would store, ids aside. */
  const shapeOf = (spans: KeptSpan[]) =>
    [...Map.groupBy(spans, (s) => s.traceId).values()]
      .map((trace) => {
        const names = new Map(trace.map((s) => [s.spanId, s.name]));
        return trace.map((s) => `${s.name} <- ${names.get(s.parentSpanId) ?? '-'} [${Object.keys(s.attributes).sort().join(' ')}]`).sort();
      })
      .sort((a, b) => a.join().localeCompare(b.join()));

  it('documented (NodeSDK) and hand-built (BasicTracerProvider) deliver the same spans, attributes and trees', async () => {
    const shapes: Record<string, string[][]> = {};
    for (const setup of ['documented', 'hand-built'] as const) {
      await fetch(`${sink.url}/admin/reset`, { method: 'POST' });
      await serve(settingsFor('inprocess', sink.url, { sdk: { setup } }), 5);
      await waitForSpans(sink.url, 5 * SPANS);
      const spans = await keptSpans();
      expectWellFormedTraces(spans, 5);
      shapes[setup] = shapeOf(spans);
    }
    expect(shapes.documented).toEqual(shapes['hand-built']);
  });

  it.each(['documented', 'hand-built'] as const)(
    'auto style (%s): an HTTP server span is each trace root, the observations beneath it as planned',
    async (setup) => {
      await serve(settingsFor('inprocess', sink.url, { instrumentation: { style: 'auto' }, sdk: { setup } }), 4);
      await waitForSpans(sink.url, 4 * (SPANS + 1));
      const traces = Map.groupBy(await keptSpans(), (s) => s.traceId);
      expect(traces.size).toBe(4); // the lab's own endpoints (health, metrics) are not traced
      for (const [, trace] of traces) {
        expect(trace).toHaveLength(SPANS + 1);
        const root = trace.find((s) => !s.parentSpanId)!;
        expect(root.attributes['http.request.method']).toBe('POST');
        expect(trace.find((s) => s.name === 'chat-webhook')!.parentSpanId).toBe(root.spanId);
      }
    },
  );
});

describe('shutdown', () => {
  it('SIGTERM under load: in-flight requests finish, every span of every answered request arrives', async () => {
    // A long flush interval keeps spans queued in the app when SIGTERM arrives.
    const app = await startTarget(settingsFor('inprocess', sink.url, { sdk: { flushIntervalMs: 30_000, batchSize: 10_000, queueSize: 10_000 } }));
    const load = sendChats(app.url, 400, 8);
    const answered = async () => Number((await fetch(`${app.url}/metrics`).then((r) => r.text())).match(/outcome="ok"} (\d+)/)?.[1] ?? 0);
    while ((await answered()) < 20) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 300));
    const code = await app.process.stop();
    const outcome = await load;
    expect(code).toBe(0);
    expect(outcome.ok).toBeGreaterThan(0);
    expect(outcome.failed).toBeGreaterThan(0); // the app really stopped mid-load
    const stats = await waitForSpans(sink.url, outcome.ok * SPANS, 5000);
    expect(stats.totals.traces).toBe(outcome.ok);
    expect(stats.totals.spans).toBe(outcome.ok * SPANS);
  });
});
