// Given a real ingest-sink process, when OTLP requests arrive, then it answers as
// Langfuse's ingestion endpoint does and counts exactly what it accepted.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SINK_KEYS, basicAuth, startSink, type Service } from '../../infra/local/services.ts';
import { gzip, jsonBody, protobufBody, testTrace } from '../support/otlp-requests.ts';
import { sinkStats } from '../support/lab.ts';

let sink: Service;
beforeAll(async () => {
  sink = await startSink({ keepSpans: 100 });
});
afterAll(async () => {
  await sink.process.stop();
});
beforeEach(async () => {
  await fetch(`${sink.url}/admin/reset`, { method: 'POST' });
  await fetch(`${sink.url}/admin/faults`, { method: 'DELETE' });
});

const PATH = '/api/public/otel/v1/traces';
const AUTH = `Basic ${basicAuth(SINK_KEYS)}`;

function post(body: Buffer, headers: Record<string, string> = {}) {
  return fetch(`${sink.url}${PATH}`, { method: 'POST', body, headers: { authorization: AUTH, 'content-type': 'application/x-protobuf', ...headers } });
}

describe('ingest-sink: the Langfuse OTLP contract', () => {
  it('accepts protobuf, JSON and gzip bodies with 200 and a JSON body, and counts them', async () => {
    for (const [body, headers] of [
      [protobufBody(testTrace(4)), {}],
      [jsonBody(testTrace(4)), { 'content-type': 'application/json' }],
      [gzip(protobufBody(testTrace(4))), { 'content-encoding': 'gzip' }],
      [gzip(jsonBody(testTrace(4))), { 'content-type': 'application/json; charset=utf-8', 'content-encoding': 'gzip' }],
    ] as const) {
      const response = await post(body, headers);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/application\/json/);
      await response.json();
    }
    const stats = await sinkStats(sink.url);
    expect(stats.totals).toEqual({ spans: 16, traces: 4, rootSpans: 4, generations: 4 });
  });

  it('decodes ids and parent links the same way for both encodings', async () => {
    const trace = testTrace(3);
    await post(protobufBody(trace));
    await post(jsonBody(trace), { 'content-type': 'application/json' });
    const kept = (await (await fetch(`${sink.url}/spans`)).json()) as Array<{ traceId: string; spanId: string; parentSpanId: string }>;
    const ids = (s: { traceId: string; spanId: string; parentSpanId: string }) => [s.traceId, s.spanId, s.parentSpanId];
    expect(kept.slice(0, 3).map(ids)).toEqual(trace.map((s) => [s.traceId, s.spanId, s.parentSpanId ?? '']));
    expect(kept.slice(3).map(ids)).toEqual(kept.slice(0, 3).map(ids));
  });

  it('401 without or with wrong keys', async () => {
    const body = protobufBody(testTrace(1));
    expect((await fetch(`${sink.url}${PATH}`, { method: 'POST', body, headers: { 'content-type': 'application/x-protobuf' } })).status).toBe(401);
    expect((await post(body, { authorization: `Basic ${Buffer.from('pk:wrong').toString('base64')}` })).status).toBe(401);
  });

  it('400 for another content type or a broken gzip body; other encodings are ignored, as Langfuse ignores them', async () => {
    expect((await post(protobufBody(testTrace(1)), { 'content-type': 'text/plain' })).status).toBe(400);
    expect((await post(Buffer.from('not gzip'), { 'content-encoding': 'gzip' })).status).toBe(400);
    // Langfuse gunzips only when Content-Encoding says gzip and parses anything else as is.
    expect((await post(protobufBody(testTrace(1)), { 'content-encoding': 'br' })).status).toBe(200);
  });

  it('400 for the whole batch when any span has no trace or span id; any string id is accepted (Langfuse v4)', async () => {
    const noSpanId = JSON.parse(jsonBody(testTrace(3)).toString());
    delete noSpanId.resourceSpans[0].scopeSpans[0].spans[2].spanId;
    const response = await post(Buffer.from(JSON.stringify(noSpanId)), { 'content-type': 'application/json' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(/spanId:absent.*entire export was rejected/);
    const noTrace = JSON.parse(jsonBody(testTrace(2)).toString());
    noTrace.resourceSpans[0].scopeSpans[0].spans[1].traceId = 42;
    expect((await post(Buffer.from(JSON.stringify(noTrace)), { 'content-type': 'application/json' })).status).toBe(400);
    expect((await sinkStats(sink.url)).totals.spans).toBe(0);
    const odd = testTrace(2);
    odd[0].traceId = 'not-hex-at-all';
    odd[1].traceId = 'not-hex-at-all';
    expect((await post(jsonBody(odd), { 'content-type': 'application/json' })).status).toBe(200);
    expect((await sinkStats(sink.url)).totals.spans).toBe(2);
  });

  it('400 for an ingestion version above 4, 200 for 4', async () => {
    expect((await post(protobufBody(testTrace(1)), { 'x-langfuse-ingestion-version': '5' })).status).toBe(400);
    expect((await post(protobufBody(testTrace(1)), { 'x-langfuse-ingestion-version': '4' })).status).toBe(200);
  });

  it('labels arrivals with the current run', async () => {
    await fetch(`${sink.url}/admin/run`, { method: 'POST', body: JSON.stringify({ run: 'round-1' }) });
    await post(protobufBody(testTrace(2)));
    await fetch(`${sink.url}/admin/run`, { method: 'POST', body: JSON.stringify({ run: 'round-2' }) });
    await post(protobufBody(testTrace(5)));
    const stats = await sinkStats(sink.url);
    expect(stats.groups.map((g) => [g.run, g.spans])).toEqual([
      ['round-1', 2],
      ['round-2', 5],
    ]);
  });
});

describe('ingest-sink: fault injection', () => {
  const setFaults = (faults: object) => fetch(`${sink.url}/admin/faults`, { method: 'POST', body: JSON.stringify(faults) });

  it('answers with the chosen error status and counts nothing', async () => {
    await setFaults({ errorRate: 1, errorStatus: 429 });
    expect((await post(protobufBody(testTrace(2)))).status).toBe(429);
    const stats = await sinkStats(sink.url);
    expect(stats.totals.spans).toBe(0);
    expect(stats.rejected['429']).toBe(1);
  });

  it('an outage window answers 503, then recovers', async () => {
    await setFaults({ outageSeconds: 0.3 });
    expect((await post(protobufBody(testTrace(1)))).status).toBe(503);
    await new Promise((r) => setTimeout(r, 400));
    expect((await post(protobufBody(testTrace(1)))).status).toBe(200);
  });

  it('drops connections without an answer', async () => {
    await setFaults({ dropRate: 1 });
    await expect(post(protobufBody(testTrace(1)))).rejects.toThrow();
  });

  it('adds latency before answering', async () => {
    await setFaults({ latencyMs: 150 });
    const started = performance.now();
    expect((await post(protobufBody(testTrace(1)))).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('takes faults from SINK_FAULTS at start', async () => {
    const faulty = await startSink({ env: { SINK_FAULTS: JSON.stringify({ errorRate: 1, errorStatus: 500 }) } });
    try {
      const response = await fetch(`${faulty.url}${PATH}`, {
        method: 'POST',
        body: protobufBody(testTrace(1)),
        headers: { authorization: AUTH, 'content-type': 'application/x-protobuf' },
      });
      expect(response.status).toBe(500);
    } finally {
      await faulty.process.stop();
    }
  });

  it('rejects a bad fault setting and names the field', async () => {
    const response = await setFaults({ errorRate: 2 });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/errorRate/);
  });
});
