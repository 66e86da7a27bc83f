// The Python app's HTTP surface beyond the chat webhook, against real processes: the lab
// slot on every span, the timeline's shape, the metrics the lab scrapes, and the baseline
// that loads no SDK (checked through the process's own sys.modules).
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { APP_METRICS, APP_PATHS, SEQ_HEADER, SLOT_ATTRIBUTE } from '../../contracts/app-metrics.ts';
import type { AppTimeline } from '../../contracts/app-timeline.ts';
import { type Service, startSink, startTarget } from '../../infra/local/services.ts';
import { parsePrometheusText, sumOf } from '../../infra/local/prometheus-text.ts';
import { sendChats, settingsFor, waitForSpans } from '../support/lab.ts';
import { runPython, SDK_LINES } from '../support/python.ts';
import { byTrace, keptSpans } from '../support/traces.ts';

const workDir = mkdtempSync(join(tmpdir(), 'tracelab-python-surface-'));
let sink: Service;
beforeAll(async () => {
  sink = await startSink({ keepSpans: 5000 });
});
afterAll(async () => {
  await sink?.process.stop();
});
beforeEach(async () => {
  await fetch(`${sink.url}/admin/reset`, { method: 'POST' });
});

const post = (url: string, body?: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', body: body === undefined ? undefined : JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });

describe.each(SDK_LINES)('SDK line %i: slot, timeline and metrics', (line) => {
  it('after POST /admin/slot every span carries tracelab.slot; /debug/timeline has the contract shape; /metrics the contract names', async () => {
    const app = await startTarget(settingsFor('inprocess', sink.url), { app: { runtime: 'python', sdkVersion: line } });
    try {
      await sendChats(app.url, 2); // before the slot: no label
      expect((await post(`${app.url}${APP_PATHS.slot}`, { slot: 'inprocess-r1' })).status).toBe(204);
      expect((await post(`${app.url}${APP_PATHS.slot}`, { slot: '' })).status).toBe(400);
      expect((await post(`${app.url}${APP_PATHS.resetWindow}`)).status).toBe(204);
      for (let seq = 0; seq < 3; seq++) {
        const response = await post(`${app.url}${APP_PATHS.chat}`, { message: 'hi', userId: 'u', sessionId: 's' }, { [SEQ_HEADER]: String(seq) });
        expect(response.status).toBe(200);
      }
      expect((await post(`${app.url}${APP_PATHS.chat}`, { nope: 1 })).status).toBe(400);
      expect((await post(`${app.url}${APP_PATHS.flush}`)).status).toBe(204);

      const timeline = (await (await fetch(`${app.url}${APP_PATHS.timeline}`)).json()) as AppTimeline;
      expect(Object.keys(timeline).sort()).toEqual(['dropped', 'exports', 'flushes', 'gc', 'requests', 'sinceMs', 'stalls']);
      expect(timeline.requests.map(([seq, , , ok]) => [seq, ok])).toEqual([
        [0, 1],
        [1, 1],
        [2, 1],
        [-1, 0],
      ]);
      for (const [, start, end] of timeline.requests) expect(end).toBeGreaterThan(start);
      expect(timeline.requests[0][1]).toBeGreaterThanOrEqual(timeline.sinceMs);
      expect(timeline.flushes).toHaveLength(1);
      expect(timeline.exports.length).toBeGreaterThan(0);
      for (const e of timeline.exports) {
        expect(e).toMatchObject({
          startMs: expect.any(Number),
          endMs: expect.any(Number),
          spans: expect.any(Number),
          ok: true,
          serializeMs: expect.any(Number),
        });
        expect(e).not.toHaveProperty('onLoopMs'); // exports run on the SDK's thread, not the loop
        expect(e.endMs).toBeGreaterThanOrEqual(e.startMs);
      }
      for (const [start, ms, kind] of timeline.gc)
        expect([typeof start, typeof ms, ['minor', 'major', 'incremental', 'other'].includes(kind)]).toEqual(['number', 'number', true]);
      for (const stall of timeline.stalls) expect(stall).toEqual([expect.any(Number), expect.any(Number)]);
      expect(timeline.dropped).toBe(0);

      const metrics = await (await fetch(`${app.url}${APP_PATHS.metrics}`)).text();
      for (const name of Object.values(APP_METRICS)) expect(metrics, name).toMatch(new RegExp(`^${name}(_total|_bucket|_count)?[{ ]`, 'm'));
      const samples = parsePrometheusText(metrics);
      expect(sumOf(samples, APP_METRICS.requests)).toBe(6);
      expect(sumOf(samples, APP_METRICS.exportCalls)).toBeGreaterThan(0);
      expect(sumOf(samples, APP_METRICS.exportThreadCpu)).toBeGreaterThan(0);
      expect(sumOf(samples, APP_METRICS.spansExported)).toBe(sumOf(samples, APP_METRICS.spansEnded));
      const gil = sumOf(samples, APP_METRICS.gilContention);
      expect(gil).toBeGreaterThanOrEqual(0);
      expect(gil).toBeLessThanOrEqual(1);
      expect(sumOf(samples, APP_METRICS.eventLoopDelay, { quantile: '1' })).toBeGreaterThan(0);

      expect((await post(`${app.url}${APP_PATHS.resetWindow}`)).status).toBe(204);
      const fresh = (await (await fetch(`${app.url}${APP_PATHS.timeline}`)).json()) as AppTimeline;
      expect(fresh.requests).toEqual([]);
      expect(fresh.sinceMs).toBeGreaterThan(timeline.sinceMs);
    } finally {
      expect(await app.process.stop()).toBe(0);
    }
    const chats = [...byTrace(await keptSpans(sink.url)).values()].filter((trace) => trace.some((s) => s.name === 'chat-webhook'));
    expect(chats).toHaveLength(5);
    const labelled = chats.filter((trace) => trace.some((s) => s.attributes[SLOT_ATTRIBUTE]));
    expect(labelled).toHaveLength(3); // the three sent after POST /admin/slot
    for (const trace of labelled) expect(trace.every((s) => s.attributes[SLOT_ATTRIBUTE] === 'inprocess-r1')).toBe(true);
  });
});

describe('baseline (none mode)', () => {
  const modulesOf = async (kind: 'baseline' | 'inprocess', line: 3 | 5) => {
    const file = join(workDir, `modules-${kind}-${line}.txt`);
    const app = await startTarget(settingsFor(kind, kind === 'baseline' ? undefined : sink.url), {
      app: { runtime: 'python', sdkVersion: line },
      env: { PYTHONPATH: new URL('../support/python-record-modules', import.meta.url).pathname, RECORD_MODULES_FILE: file },
    });
    expect(await sendChats(app.url, 3)).toEqual({ ok: 3, failed: 0 });
    expect(await app.process.stop()).toBe(0);
    return readFileSync(file, 'utf8').split('\n');
  };
  const sdk = (m: string) => /^(langfuse|opentelemetry\.(sdk|exporter|instrumentation))(\.|$)/.test(m);

  it.each(SDK_LINES)(
    'line %i: no Langfuse and no OpenTelemetry SDK module in sys.modules; the OpenTelemetry API only as far as FastAPI itself imports it',
    async (line) => {
      const baseline = await modulesOf('baseline', line);
      expect(baseline).toContain('tracelab_target.server'); // the recorder saw the app
      expect(baseline.filter(sdk)).toEqual([]);
      // FastAPI 0.165 imports the OpenTelemetry API for its native telemetry (off without a provider).
      const fastapi = new Set(runPython(line, 'import sys, fastapi\nprint("\\n".join(sorted(sys.modules)))').split('\n'));
      expect(baseline.filter((m) => m.startsWith('opentelemetry') && !fastapi.has(m))).toEqual([]);
      const traced = await modulesOf('inprocess', line);
      expect(traced.filter(sdk)).toEqual(expect.arrayContaining(['langfuse', 'opentelemetry.sdk.trace'])); // …and would have seen them
      await waitForSpans(sink.url, 1);
    },
  );
});
