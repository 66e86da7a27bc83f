// Given the real target app in front of a real ingest-sink, when the same requests are served
// with an instrumentation choice on and off, then what the app emits — or what its requests
// cost — changes the way the choice says: flush per request exports once per request and
// waits for it, client per request builds an exporter per trace, capture off drops the payload.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSink, startTarget, type Service } from '../../infra/local/services.ts';
import { settingsFor, sinkStats, waitForSpans } from '../support/lab.ts';
import { parsePrometheusText, sumOf } from '../../infra/local/prometheus-text.ts';

const REQUESTS = 8;
let sink: Service;
beforeAll(async () => {
  sink = await startSink();
});
afterAll(async () => {
  await sink?.process.stop();
});

type Overrides = Parameters<typeof settingsFor>[2];

/** Serves REQUESTS chats one after another; returns each request's latency, the app's export calls, and what reached the sink. */
async function serve(overrides: Overrides) {
  await fetch(`${sink.url}/admin/reset`, { method: 'POST' });
  // Batching that would hold every span until shutdown: anything exported earlier is the choice's doing.
  const settings = settingsFor('inprocess', sink.url, {
    ...overrides,
    sdk: { batchSize: 10_000, queueSize: 10_000, flushIntervalMs: 60_000, ...overrides?.sdk },
    workload: { payloadBytes: 4096, llmLatencyMs: 5, llmJitterMs: 0, ...overrides?.workload },
  });
  const app = await startTarget(settings);
  const latencies: number[] = [];
  try {
    for (let i = 0; i < REQUESTS; i++) {
      const started = performance.now();
      const response = await fetch(`${app.url}/webhook/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId: 'u', sessionId: 's', message: `m${i}` }),
      });
      expect(response.status).toBe(200);
      await response.arrayBuffer();
      latencies.push(performance.now() - started);
    }
    const exportCalls = sumOf(parsePrometheusText(await (await fetch(`${app.url}/metrics`)).text()), 'tracelab_export_calls');
    const beforeShutdown = await sinkStats(sink.url);
    expect(await app.process.stop()).toBe(0);
    const spans = REQUESTS * settings.workload.spansPerRequest;
    const after = await waitForSpans(sink.url, spans);
    expect(after.totals.spans).toBe(spans); // every choice still delivers everything in the end
    const stats = (await fetch(`${sink.url}/stats`).then((r) => r.json())) as { groups: Array<{ requests: number; bytes: number }> };
    const group = stats.groups[0];
    return {
      latencies: latencies.sort((a, b) => a - b),
      exportCalls,
      spansBeforeShutdown: beforeShutdown.totals.spans,
      sinkRequests: group.requests,
      bytes: group.bytes,
    };
  } finally {
    await app.process.stop();
  }
}

const median = (sorted: number[]) => sorted[Math.floor(sorted.length / 2)];

describe('instrumentation choices change what the app emits', () => {
  it('flush per request: one export call per request, each request waits for its export', async () => {
    await fetch(`${sink.url}/admin/faults`, { method: 'POST', body: JSON.stringify({ latencyMs: 60 }) });
    try {
      const normal = await serve({});
      const flushing = await serve({ instrumentation: { antiPattern: 'flush-per-request' } });
      expect(normal.exportCalls).toBe(0);
      expect(normal.spansBeforeShutdown).toBe(0);
      expect(flushing.exportCalls).toBe(REQUESTS);
      expect(flushing.spansBeforeShutdown).toBe(REQUESTS * 6);
      // The backend's 60 ms now sits inside every request.
      expect(median(flushing.latencies) - median(normal.latencies)).toBeGreaterThan(45);
    } finally {
      await fetch(`${sink.url}/admin/faults`, { method: 'DELETE' });
    }
  });

  it('client per request: an exporter per trace, so one export request per trace instead of one batch', async () => {
    const normal = await serve({});
    const perRequest = await serve({ instrumentation: { antiPattern: 'client-per-request' } });
    expect(normal.sinkRequests).toBe(1); // everything in one batch at shutdown
    expect(perRequest.exportCalls).toBe(REQUESTS);
    expect(perRequest.sinkRequests).toBe(REQUESTS);
  });

  it('capture off: the input and output payloads are no longer sent', async () => {
    const on = await serve({});
    const off = await serve({ instrumentation: { captureIO: false } });
    // 4096 bytes captured as input and again as output, at least once per request.
    expect(on.bytes - off.bytes).toBeGreaterThan(REQUESTS * 2 * 4096);
  });
});
