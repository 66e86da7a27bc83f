// What the lab's measurement relies on in the target app, checked against the real process:
// the in-process exporter sends exactly the headers of the Langfuse SDK's own exporter; the
// worker exporter delivers everything while the event loop pays only the hand-off; the same
// request number gives the same LLM latency; spans count in the slot of the request that
// made them; and the timeline records requests, exports and stalls.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LangfuseSpanProcessor } from '@langfuse/otel';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { APP_PATHS, SEQ_HEADER } from '../../contracts/app-metrics.ts';
import type { AppTimeline } from '../../contracts/app-timeline.ts';
import { llmJitterFraction } from '../../contracts/target-app.ts';
import { type Service, startSink, startTarget } from '../../infra/local/services.ts';
import { settingsFor, sinkStats, waitForSpans } from '../support/lab.ts';

const KEYS = { publicKey: 'pk-lf-tracelab-local', secretKey: 'sk-lf-tracelab-local' };
let sink: Service;
beforeAll(async () => {
  sink = await startSink({ keepSpans: 2000 });
});
afterAll(async () => {
  await sink?.process.stop();
});
beforeEach(async () => {
  await fetch(`${sink.url}/admin/reset`, { method: 'POST' });
});

const post = (url: string, body?: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
const chat = (app: Service, seq?: number) =>
  post(`${app.url}${APP_PATHS.chat}`, { message: 'hi', userId: 'u', sessionId: 's' }, seq === undefined ? {} : { [SEQ_HEADER]: String(seq) });
const timelineOf = async (app: Service) => (await fetch(`${app.url}${APP_PATHS.timeline}`)).json() as Promise<AppTimeline>;

/** A backend that answers 200 and keeps the headers of every OTLP request. */
async function headerCapture(): Promise<{ url: string; headers: IncomingHttpHeaders[]; close: () => Promise<void> }> {
  const headers: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    headers.push(req.headers);
    req.resume().on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, headers, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('the in-process exporter', () => {
  it("sends exactly the headers LangfuseSpanProcessor's own default exporter sends", async () => {
    const capture = await headerCapture();
    try {
      // The SDK's own exporter, as a user's app would build it.
      const provider = new BasicTracerProvider({
        spanProcessors: [new LangfuseSpanProcessor({ ...KEYS, baseUrl: capture.url, shouldExportSpan: () => true })],
      });
      provider.getTracer('t').startSpan('x').end();
      await provider.forceFlush();
      await provider.shutdown();
      // tracelab's app in langfuse mode, against the same backend.
      const app = await startTarget(settingsFor('inprocess', capture.url));
      expect((await chat(app)).status).toBe(200);
      await post(`${app.url}${APP_PATHS.flush}`);
      await app.process.stop();
      expect(capture.headers.length).toBeGreaterThanOrEqual(2);
      const comparable = (h: IncomingHttpHeaders) =>
        Object.fromEntries(Object.entries(h).filter(([k]) => !['content-length', 'host', 'connection'].includes(k)));
      const [sdk, ours] = [comparable(capture.headers[0]), comparable(capture.headers.at(-1)!)];
      expect(sdk['x-langfuse-sdk-version']).toMatch(/^\d+\.\d+\.\d+/);
      expect(ours).toEqual(sdk);
    } finally {
      await capture.close();
    }
  });
});

describe('sdk.serializeIn: worker', () => {
  it('delivers every span, well formed, while exports hold the event loop only for the hand-off', async () => {
    const app = await startTarget(settingsFor('inprocess', sink.url, { sdk: { serializeIn: 'worker' }, workload: { payloadBytes: 8192 } }));
    try {
      await post(`${app.url}${APP_PATHS.resetWindow}`);
      for (let i = 0; i < 30; i++) expect((await chat(app, i)).status).toBe(200);
      await post(`${app.url}${APP_PATHS.flush}`);
      const stats = await waitForSpans(sink.url, 30 * 6);
      expect(stats.totals).toEqual({ spans: 180, traces: 30, rootSpans: 30, generations: 30 });
      const { exports } = await timelineOf(app);
      expect(exports.length).toBeGreaterThan(0);
      for (const e of exports) {
        expect(e.ok).toBe(true);
        expect(e.onLoopMs).toBeGreaterThan(0);
        // The worker reports its own encoding time.
        expect(e.serializeMs).toBeGreaterThan(0);
      }
    } finally {
      expect(await app.process.stop()).toBe(0);
    }
  });
});

describe('the request number (x-tracelab-seq)', () => {
  it('fixes the simulated LLM latency: the same number waits the same time, in every process', async () => {
    const settings = settingsFor('baseline', undefined, { workload: { llmLatencyMs: 60, llmJitterMs: 40, cpuWorkMs: 0 } });
    const served = async () => {
      const app = await startTarget(settings);
      try {
        await post(`${app.url}${APP_PATHS.resetWindow}`);
        for (const seq of [6, 42, 6, 42, 2]) expect((await chat(app, seq)).status).toBe(200);
        return (await timelineOf(app)).requests.map(([seq, start, end]) => [seq, end - start] as const);
      } finally {
        await app.process.stop();
      }
    };
    const [a, b] = [await served(), await served()];
    expect(a.map(([seq]) => seq)).toEqual([6, 42, 6, 42, 2]);
    // A sleep is never shorter than asked; the fastest of a number's four requests (two per
    // process) shows the wait it was given, whatever else the machine was doing.
    for (const [seq, ms] of [...a, ...b]) expect(ms, `seq ${seq}`).toBeGreaterThanOrEqual(60 + 40 * llmJitterFraction(seq) - 1);
    for (const seq of [6, 42, 2]) {
      const fastest = Math.min(...[...a, ...b].filter(([n]) => n === seq).map(([, ms]) => ms));
      expect(fastest, `seq ${seq}`).toBeLessThan(60 + 40 * llmJitterFraction(seq) + 20);
    }
    // The jitter of 6, 42 and 2 differs by more than the noise, so the check above can fail.
    expect(Math.abs(llmJitterFraction(2) - llmJitterFraction(6)) * 40).toBeGreaterThan(20);
  });
});

describe('slots', () => {
  it('count a span in the slot of the request that made it, whenever it arrives', async () => {
    const app = await startTarget(settingsFor('inprocess', sink.url, { sdk: { flushIntervalMs: 60_000 } }));
    try {
      await post(`${app.url}${APP_PATHS.slot}`, { slot: 'slot-a' });
      for (let i = 0; i < 4; i++) await chat(app, i);
      await post(`${app.url}${APP_PATHS.slot}`, { slot: 'slot-b' });
      for (let i = 0; i < 3; i++) await chat(app, i);
      // The sink's own label moves on before the spans arrive: they must not follow it.
      await post(`${sink.url}/admin/run`, { run: 'slot-c' });
      await post(`${app.url}${APP_PATHS.flush}`);
      await waitForSpans(sink.url, 7 * 6);
      const groups = (await sinkStats(sink.url)).groups;
      expect(Object.fromEntries(groups.map((g) => [g.run, g.spans]))).toEqual({ 'slot-a': 24, 'slot-b': 18 });
      expect((await post(`${app.url}${APP_PATHS.slot}`, { slot: '' })).status).toBe(400);
    } finally {
      await app.process.stop();
    }
  });
});

describe('the timeline', () => {
  it('records event-loop stalls when requests burn CPU on the loop', async () => {
    const app = await startTarget(settingsFor('baseline', undefined, { workload: { cpuWorkMs: 40 } }));
    try {
      await post(`${app.url}${APP_PATHS.resetWindow}`);
      for (let i = 0; i < 5; i++) await chat(app, i);
      const t = await timelineOf(app);
      expect(t.requests).toHaveLength(5);
      // Each request burns 40 ms on the loop: each shows up as a stall of most of that.
      expect(t.stalls.filter(([, late]) => late > 25).length).toBeGreaterThanOrEqual(4);
      expect(t.dropped).toBe(0);
    } finally {
      await app.process.stop();
    }
  });
});
