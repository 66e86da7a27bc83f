// ingest-sink's HTTP surface, served in the test's own process (the process-level contract
// is test/apps/ingest-sink.test.ts): status codes, what each route answers and counts.
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Faults } from '../../apps/ingest-sink/src/faults.ts';
import { countPath } from '../../apps/ingest-sink/src/ingest-path.ts';
import { createSinkServer, renderMetrics } from '../../apps/ingest-sink/src/routes.ts';
import { IngestStats } from '../../apps/ingest-sink/src/stats.ts';
import { parsePrometheusText } from '../../infra/local/prometheus-text.ts';
import { jsonBody, protobufBody, testTrace } from '../support/otlp-requests.ts';

const keys = { publicKey: 'pk', secretKey: 'sk' };
const AUTH = `Basic ${Buffer.from('pk:sk').toString('base64')}`;
const stats = new IngestStats(50);
const faults = new Faults(() => 0);
const server = createSinkServer({ path: countPath(keys), stats, faults, maxBodyBytes: 64 * 1024 });
let base = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const ingest = (body: Buffer, headers: Record<string, string> = {}) =>
  fetch(`${base}/api/public/otel/v1/traces`, { method: 'POST', body, headers: { authorization: AUTH, 'content-type': 'application/x-protobuf', ...headers } });
const json = async (path: string, init?: RequestInit) => {
  const response = await fetch(`${base}${path}`, init);
  // Each route answers its own JSON shape.
  return { status: response.status, type: response.headers.get('content-type'), body: (await response.json()) as any };
};

describe('ingest-sink routes (in-process)', () => {
  it('ingests, counts and answers 200 with the job; every refusal is counted by its status', async () => {
    await json('/admin/reset', { method: 'POST' });
    const ok = await ingest(protobufBody(testTrace(3)));
    // Langfuse v4 answers with the queued job; the count path answers the same shape.
    expect([ok.status, ok.headers.get('content-type'), await ok.json()]).toEqual([
      200,
      'application/json',
      expect.objectContaining({ name: 'otel-ingestion-job' }),
    ]);
    expect((await ingest(jsonBody(testTrace(2)), { 'content-type': 'application/json' })).status).toBe(200);
    expect((await ingest(protobufBody(testTrace(1)), { authorization: 'Basic eDp5' })).status).toBe(401);
    expect((await ingest(protobufBody(testTrace(1)), { 'content-type': 'text/plain' })).status).toBe(400);
    // A well-formed request, only too large: refused for its size (413, before it is read), and still answered.
    const large = await ingest(protobufBody(testTrace(1, { attributes: { big: 'x'.repeat(70 * 1024) } })));
    expect([large.status, ((await large.json()) as { error: string }).error]).toEqual([
      413,
      expect.stringMatching(/^body of \d+ bytes is larger than the 65536 bytes this sink accepts$/),
    ]);
    const body = (await json('/stats')).body;
    expect(body.totals).toEqual({ spans: 5, traces: 2, rootSpans: 2, generations: 2 });
    expect(body.rejected).toEqual({ '400': 1, '401': 1, '413': 1 });
  });

  it('answers 405 for another method on the ingestion path and 404 for unknown routes', async () => {
    expect((await json('/api/public/otel/v1/traces')).status).toBe(405);
    expect(await json('/nope')).toMatchObject({ status: 404, body: { message: 'no route GET /nope' } });
    expect(await json('/admin/nope', { method: 'POST' })).toMatchObject({ status: 404, body: { message: 'no route POST /admin/nope' } });
  });

  it('health on both paths; /spans lists what was kept', async () => {
    expect(await json('/api/public/health')).toMatchObject({ status: 200, body: { status: 'OK' } });
    expect(await json('/healthz')).toMatchObject({ status: 200, body: { status: 'OK' } });
    await json('/admin/reset', { method: 'POST' });
    const trace = testTrace(2);
    await ingest(protobufBody(trace));
    expect((await json('/spans')).body.map((s: { spanId: string }) => s.spanId)).toEqual(trace.map((s) => s.spanId));
  });

  it('labels arrivals with the run set by POST /admin/run, and refuses a run that is not a string', async () => {
    await json('/admin/reset', { method: 'POST' });
    expect(await json('/admin/run', { method: 'POST', body: JSON.stringify({ run: 'r1' }) })).toMatchObject({ status: 200, body: { run: 'r1' } });
    await ingest(protobufBody(testTrace(1)));
    expect((await json('/stats')).body.groups.map((g: { run: string }) => g.run)).toEqual(['r1']);
    expect(await json('/admin/run', { method: 'POST', body: JSON.stringify({ run: 3 }) })).toMatchObject({
      status: 400,
      body: { error: 'body must be {"run": "<label>"} (1-200 characters)' },
    });
    expect((await json('/admin/run', { method: 'POST', body: 'not json' })).status).toBe(400);
    expect((await json('/admin/run', { method: 'POST' })).status).toBe(400);
  });

  it('faults: set, read, clear; an injected error is counted and its spans are not', async () => {
    await json('/admin/reset', { method: 'POST' });
    expect(await json('/admin/faults', { method: 'POST', body: JSON.stringify({ errorRate: 1, errorStatus: 429 }) })).toMatchObject({
      status: 200,
      body: { errorRate: 1 },
    });
    expect((await json('/admin/faults')).body).toMatchObject({ errorRate: 1, errorStatus: 429 });
    const refused = await ingest(protobufBody(testTrace(2)));
    expect([refused.status, await refused.json()]).toEqual([429, { message: 'fault injected by ingest-sink' }]);
    expect((await json('/stats')).body).toMatchObject({ totals: { spans: 0 }, rejected: { '429': 1 } });
    expect((await json('/admin/faults', { method: 'DELETE' })).body.errorRate).toBe(0);
    expect((await json('/admin/faults', { method: 'POST', body: '{"errorRate": 5}' })).status).toBe(400);
    expect((await json('/admin/faults', { method: 'POST' })).body.errorRate).toBe(0);
  });

  it('a dropped connection gets no answer; added latency delays the answer', async () => {
    await json('/admin/faults', { method: 'POST', body: JSON.stringify({ dropRate: 1 }) });
    await expect(ingest(protobufBody(testTrace(1)))).rejects.toThrow();
    await json('/admin/faults', { method: 'POST', body: JSON.stringify({ latencyMs: 120 }) });
    const started = performance.now();
    expect((await ingest(protobufBody(testTrace(1)))).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
    await json('/admin/faults', { method: 'DELETE' });
  });

  it('GET /metrics is Prometheus text with spans per group and rejections per status', async () => {
    await json('/admin/reset', { method: 'POST' });
    await json('/admin/run', { method: 'POST', body: JSON.stringify({ run: 'm' }) });
    await ingest(protobufBody(testTrace(4)));
    await ingest(protobufBody(testTrace(1)), { authorization: 'x' });
    const response = await fetch(`${base}/metrics`);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4');
    const samples = parsePrometheusText(await response.text());
    expect(samples.filter((s) => s.name === 'sink_spans_received_total')).toEqual([
      { name: 'sink_spans_received_total', labels: { service: 'contract-test', topology: 'test', run: 'm' }, value: 4 },
    ]);
    expect(samples.find((s) => s.name === 'sink_requests_rejected_total')).toEqual({
      name: 'sink_requests_rejected_total',
      labels: { status: '401' },
      value: 1,
    });
    expect(samples.find((s) => s.name === 'process_cpu_seconds_total')!.value).toBeGreaterThan(0);
    expect(samples.find((s) => s.name === 'process_resident_memory_bytes')!.value).toBeGreaterThan(1e6);
  });

  it('renderMetrics of empty stats still declares every metric', () => {
    const text = renderMetrics(new IngestStats());
    for (const name of ['sink_spans_received_total', 'sink_requests_rejected_total', 'process_cpu_seconds_total', 'process_resident_memory_bytes']) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    expect(text.endsWith('\n')).toBe(true);
  });
});
