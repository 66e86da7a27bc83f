// Given a real ingest-sink, when a client sends what Langfuse v4's OTLP route answers in a
// particular way (web/src/pages/api/public/otel/v1/traces and validateOtelSpanIds in the
// v4.16.0 release source), then the sink answers the same: a client cannot tell them apart.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SINK_KEYS, basicAuth, startSink, type Service } from '../../infra/local/services.ts';
import { sinkStats } from '../support/lab.ts';
import { jsonBody, protobufBody, testTrace } from '../support/otlp-requests.ts';

let sink: Service;
beforeAll(async () => {
  sink = await startSink();
});
afterAll(async () => {
  await sink.process.stop();
});
beforeEach(async () => {
  await fetch(`${sink.url}/admin/reset`, { method: 'POST' });
  await fetch(`${sink.url}/admin/faults`, { method: 'DELETE' });
});

const post = (body: string | Buffer, type = 'application/json') =>
  fetch(`${sink.url}/api/public/otel/v1/traces`, {
    method: 'POST',
    body,
    headers: { authorization: `Basic ${basicAuth(SINK_KEYS)}`, 'content-type': type },
  });

/** A JSON export of one valid span with `mutate` applied to the parsed object. */
function mutated(mutate: (doc: any) => void): string {
  const doc = JSON.parse(jsonBody(testTrace(2)).toString());
  mutate(doc);
  return JSON.stringify(doc);
}

describe('ingest-sink answers malformed exports as Langfuse v4 does', () => {
  it.each([
    ['a null body', 'null', /Failed to parse OTel JSON/],
    ['a body that is not JSON', '{"resourceSpans": [', /Failed to parse OTel JSON/],
    ['span attributes as an object', mutated((d) => (d.resourceSpans[0].scopeSpans[0].spans[0].attributes = { a: 1 })), /attributes:not_an_array/],
    ['resource attributes as an object', mutated((d) => (d.resourceSpans[0].resource.attributes = { a: 1 })), /resource\.attributes:not_an_array/],
    ['scopeSpans not an array', mutated((d) => (d.resourceSpans[0].scopeSpans = { spans: [] })), /scopeSpans:not_an_array/],
    ['spans not an array', mutated((d) => (d.resourceSpans[0].scopeSpans[0].spans = 'x')), /spans:not_an_array/],
    ['an id that is an object', mutated((d) => (d.resourceSpans[0].scopeSpans[0].spans[0].spanId = { x: 1 })), /spanId:not_an_id/],
    ['events not an array', mutated((d) => (d.resourceSpans[0].scopeSpans[0].spans[0].events = {})), /events:not_an_array/],
  ])('400 with a message for %s, nothing counted', async (_what, body, message) => {
    const response = await post(body);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(message);
    expect((await sinkStats(sink.url)).totals.spans).toBe(0);
  });

  it('200 `{}` for an export without spans ({} body, null or empty resourceSpans)', async () => {
    for (const body of ['{}', '{"resourceSpans": null}', '{"resourceSpans": []}']) {
      const response = await post(body);
      expect(response.status, body).toBe(200);
      expect(await response.json()).toEqual({});
    }
  });

  it('accepts (200, nothing counted) a resourceSpans that is not an array, as Langfuse v4 does — its worker later finds no spans in it', async () => {
    const response = await post('{"resourceSpans": {"scopeSpans": []}}');
    expect(response.status).toBe(200);
    expect((await sinkStats(sink.url)).totals.spans).toBe(0);
  });

  it('accepts any string as an id, and ids as byte arrays (the Python SDK) or Buffers that went through JSON', async () => {
    const body = mutated((d) => {
      const [a, b] = d.resourceSpans[0].scopeSpans[0].spans;
      a.traceId = 'trace ☃';
      a.spanId = '';
      b.traceId = [1, 2, 3];
      b.spanId = { type: 'Buffer', data: [255, 0] };
    });
    expect((await post(body)).status).toBe(200);
    expect((await sinkStats(sink.url)).totals).toMatchObject({ spans: 2, traces: 2 });
  });
});

describe("ingest-sink's answers a client can read", () => {
  it('a success body is the queued job as JSON (~1 KB), also for protobuf requests', async () => {
    for (const [body, type] of [
      [protobufBody(testTrace(3)), 'application/x-protobuf'],
      [jsonBody(testTrace(3)), 'application/json'],
    ] as const) {
      const response = await post(body, type);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/application\/json/);
      const text = await response.text();
      const job = JSON.parse(text);
      expect(job).toMatchObject({ name: 'otel-ingestion-job', data: { payload: { data: { fileKey: expect.stringMatching(/^otel\/.+\.json$/) } } } });
      expect(job.opts.attempts).toBe(6);
      expect(text.length).toBeGreaterThan(400);
      expect(text.length).toBeLessThan(4000);
    }
  });

  it('the default injected error is 500, which OTLP exporters do not retry (Langfuse answers storage failures so)', async () => {
    await fetch(`${sink.url}/admin/faults`, { method: 'POST', body: JSON.stringify({ errorRate: 1 }) });
    expect((await post(jsonBody(testTrace(1)))).status).toBe(500);
  });

  it('an outage in refuse mode refuses connections, keeps the admin port answering, and listens again on the same port', async () => {
    const faulty = await startSink({ adminPort: true });
    try {
      const ingest = (body: Buffer) =>
        fetch(`${faulty.url}/api/public/otel/v1/traces`, {
          method: 'POST',
          body,
          headers: { authorization: `Basic ${basicAuth(SINK_KEYS)}`, 'content-type': 'application/json' },
        });
      await fetch(`${faulty.adminUrl}/admin/faults`, { method: 'POST', body: JSON.stringify({ outageSeconds: 1, outageMode: 'refuse' }) });
      const refused = await ingest(jsonBody(testTrace(1))).catch((error: Error & { cause?: { code?: string } }) => error.cause?.code);
      expect(refused).toBe('ECONNREFUSED');
      expect((await fetch(`${faulty.adminUrl}/stats`)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect((await ingest(jsonBody(testTrace(1)))).status).toBe(200);
    } finally {
      await faulty.process.stop();
    }
  });
});
