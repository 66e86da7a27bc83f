// Given the real ingest-sink and target app, when they receive hostile bodies — random bytes,
// truncated protobuf, random JSON shapes, wrong content types, oversized and gzip-bomb bodies —
// then each gets a 400 or 413 with a message (never a 500, never a dropped connection), the
// process stays up, its memory stays bounded (RSS measured before and after), and a valid
// request afterwards is still served and counted: nothing lost.
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SINK_KEYS, type Service, type SinkService, basicAuth, startSink, startTarget } from '../../infra/local/services.ts';
import { settingsFor, sinkStats } from '../support/lab.ts';
import { jsonBody, protobufBody, testTrace } from '../support/otlp-requests.ts';

const MiB = 2 ** 20;
/** Generous: the point is "bounded", not a figure — a leak or an unbounded buffer is hundreds of MiB. */
const RSS_GROWTH_LIMIT = 200 * MiB;
const FC = { seed: 20261123, numRuns: 60, endOnFailure: true } as const;

const rssOf = async (url: string) => Number(/^process_resident_memory_bytes\S* (\S+)$/m.exec(await (await fetch(`${url}/metrics`)).text())![1]);

/** A raw POST (node:http, so a body larger than announced or a chunked stream can be sent as is). */
function rawPost(
  url: string,
  headers: Record<string, string | number>,
  write: (req: ReturnType<typeof request>) => void,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.setTimeout(60_000, () => req.destroy(new Error('timed out')));
    write(req);
  });
}

describe('ingest-sink against hostile bodies', { timeout: 180_000 }, () => {
  let sink: SinkService;
  const PATH = '/api/public/otel/v1/traces';
  const auth = { authorization: `Basic ${basicAuth(SINK_KEYS)}` };
  const post = (body: Uint8Array, headers: Record<string, string>) =>
    fetch(`${sink.url}${PATH}`, { method: 'POST', body, headers: { ...auth, ...headers }, signal: AbortSignal.timeout(60_000) });
  const expectRefusal = async (response: Response, statuses: number[]) => {
    const text = await response.text();
    expect(statuses, `status ${response.status}: ${text.slice(0, 200)}`).toContain(response.status);
    if (response.status !== 200) expect(JSON.stringify(JSON.parse(text))).toMatch(/"(error|message)":"[^"]{5,}/);
  };
  let rssBefore = 0;

  beforeAll(async () => {
    sink = await startSink();
    // Warm up, so the first measurement is not of a cold heap.
    for (let i = 0; i < 20; i++) await (await post(protobufBody(testTrace(50)), { 'content-type': 'application/x-protobuf' })).arrayBuffer();
    rssBefore = await rssOf(sink.url);
  });
  afterAll(async () => {
    await sink.process.stop();
  });

  it('random bytes as protobuf or JSON: 400 with a message (a few happen to be a valid empty export: 200)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 4096 }), fc.constantFrom('application/x-protobuf', 'application/json'), async (bytes, type) => {
        await expectRefusal(await post(bytes, { 'content-type': type }), [200, 400]);
      }),
      FC,
    );
  });

  it('a valid protobuf export cut anywhere: 400, or 200 for a cut that still decodes', async () => {
    const whole = protobufBody(testTrace(20));
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: whole.length - 1 }), async (cut) => {
        await expectRefusal(await post(whole.subarray(0, cut), { 'content-type': 'application/x-protobuf' }), [200, 400]);
      }),
      FC,
    );
  });

  it('random JSON values in any field of an export: 200 or 400, never a 500', async () => {
    const valid = JSON.parse(jsonBody(testTrace(3)).toString());
    const paths = [
      [],
      ['resourceSpans'],
      ['resourceSpans', 0],
      ['resourceSpans', 0, 'resource'],
      ['resourceSpans', 0, 'scopeSpans', 0, 'spans'],
      ['resourceSpans', 0, 'scopeSpans', 0, 'spans', 1],
      ['resourceSpans', 0, 'scopeSpans', 0, 'spans', 1, 'attributes'],
      ['resourceSpans', 0, 'scopeSpans', 0, 'spans', 1, 'endTimeUnixNano'],
      ['resourceSpans', 0, 'scopeSpans', 0, 'spans', 1, 'name'],
      ['resourceSpans', 0, 'scopeSpans', 0, 'spans', 1, 'attributes', 0, 'value'],
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), fc.jsonValue(), async (path, value) => {
        const doc = structuredClone(valid);
        if (path.length === 0) {
          await expectRefusal(await post(Buffer.from(JSON.stringify(value)), { 'content-type': 'application/json' }), [200, 400]);
          return;
        }
        let here = doc;
        for (const key of path.slice(0, -1)) here = here[key];
        here[path.at(-1)!] = value;
        await expectRefusal(await post(Buffer.from(JSON.stringify(doc)), { 'content-type': 'application/json' }), [200, 400]);
      }),
      // Always tried, besides the random ones: shapes a hand-written exporter sends.
      {
        ...FC,
        examples: [
          [[], null],
          [[], 'x'],
          [['resourceSpans'], { scopeSpans: 1 }],
          [['resourceSpans', 0, 'scopeSpans', 0, 'spans', 1, 'attributes'], { a: 1 }],
        ],
      },
    );
  });

  it('wrong content types and encodings: 400 with a message', async () => {
    for (const type of ['text/plain', 'application/xml', 'multipart/form-data; boundary=x', '']) {
      await expectRefusal(await post(protobufBody(testTrace(2)), { 'content-type': type }), [400]);
    }
    await expectRefusal(await post(Buffer.from('plainly not gzip'), { 'content-type': 'application/json', 'content-encoding': 'gzip' }), [400]);
  });

  it('an oversized body, announced or streamed: 413 with a message, without keeping it', async () => {
    const big = Buffer.alloc(40 * MiB, 1);
    const announced = await rawPost(`${sink.url}${PATH}`, { ...auth, 'content-type': 'application/x-protobuf', 'content-length': big.length }, (req) =>
      req.end(big),
    );
    expect(announced.status).toBe(413);
    expect(announced.body).toMatch(/larger than/);
    const streamed = await rawPost(`${sink.url}${PATH}`, { ...auth, 'content-type': 'application/x-protobuf', 'transfer-encoding': 'chunked' }, (req) => {
      for (let i = 0; i < 40; i++) req.write(Buffer.alloc(MiB, 2));
      req.end();
    });
    expect(streamed.status).toBe(413);
  });

  it('a gzip bomb (1 GiB of zeros in ~1 MiB): 413, inflated no further than the limit', async () => {
    const bomb = gzipSync(Buffer.alloc(1024 * MiB), { level: 9 });
    expect(bomb.length).toBeLessThan(2 * MiB);
    const started = Date.now();
    await expectRefusal(await post(bomb, { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' }), [413]);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('stayed up with bounded memory, and still serves and counts a valid export', async () => {
    expect((await fetch(`${sink.url}/healthz`)).status).toBe(200);
    const growth = (await rssOf(sink.url)) - rssBefore;
    expect(growth, `RSS grew by ${(growth / MiB).toFixed(0)} MiB`).toBeLessThan(RSS_GROWTH_LIMIT);
    await fetch(`${sink.url}/admin/run`, { method: 'POST', body: JSON.stringify({ run: 'after-hostile' }) });
    const response = await post(protobufBody(testTrace(7)), { 'content-type': 'application/x-protobuf' });
    expect(response.status).toBe(200);
    expect((await sinkStats(sink.url)).groups.find((g) => g.run === 'after-hostile')?.spans).toBe(7);
  });
});

describe('target app against hostile bodies', { timeout: 180_000 }, () => {
  let app: Service;
  const chat = (body: Uint8Array | string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    fetch(`${app.url}/webhook/chat`, { method: 'POST', body, headers, signal: AbortSignal.timeout(30_000) });
  let rssBefore = 0;

  beforeAll(async () => {
    app = await startTarget(settingsFor('baseline', undefined));
    for (let i = 0; i < 20; i++) await (await chat(JSON.stringify({ message: 'warm' }))).arrayBuffer();
    rssBefore = await rssOf(app.url);
  });
  afterAll(async () => {
    await app.process.stop();
  });

  const expect4xx = async (response: Response, statuses: number[]) => {
    const text = await response.text();
    expect(statuses, `status ${response.status}: ${text.slice(0, 200)}`).toContain(response.status);
    expect((JSON.parse(text) as { error?: string }).error).toMatch(/\w{3,}/);
  };

  it('random bytes, random JSON and JSON that is not an object: 400 with a message', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 0, maxLength: 2048 }), async (bytes) => {
        const response = await chat(bytes);
        if (response.status === 200) expect(() => JSON.parse(Buffer.from(bytes).toString())).not.toThrow();
        else await expect4xx(response, [400]);
      }),
      FC,
    );
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        const response = await chat(JSON.stringify(value));
        const valid = typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { message?: unknown }).message === 'string';
        if (valid) expect(response.status).toBe(200);
        else await expect4xx(response, [400]);
      }),
      FC,
    );
    // Ids that are not strings (an object whose toString is not a function) fall back to defaults.
    expect((await chat(JSON.stringify({ message: 'x', userId: { toString: 1 }, sessionId: [1] }))).status).toBe(200);
  });

  it('wrong content types and encodings: 400; oversized: 413; a gzip bomb is refused unread', async () => {
    await expect4xx(await chat(JSON.stringify({ message: 'x' }), { 'content-type': 'text/plain' }), [400]);
    await expect4xx(await chat(gzipSync(Buffer.alloc(256 * MiB)), { 'content-type': 'application/json', 'content-encoding': 'gzip' }), [400]);
    const big = await rawPost(`${app.url}/webhook/chat`, { 'content-type': 'application/json', 'content-length': 3 * MiB }, (req) =>
      req.end(Buffer.alloc(3 * MiB, 32)),
    );
    expect(big.status).toBe(413);
    const streamed = await rawPost(`${app.url}/webhook/chat`, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, (req) => {
      for (let i = 0; i < 8; i++) req.write(Buffer.alloc(MiB, 32));
      req.end();
    });
    expect(streamed.status).toBe(413);
  });

  it('stayed up with bounded memory and still serves a valid request', async () => {
    const growth = (await rssOf(app.url)) - rssBefore;
    expect(growth, `RSS grew by ${(growth / MiB).toFixed(0)} MiB`).toBeLessThan(RSS_GROWTH_LIMIT);
    expect((await chat(JSON.stringify({ message: 'still here' }))).status).toBe(200);
  });
});
