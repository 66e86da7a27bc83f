// Langfuse's ingestion contract as ingest-sink checks it, in-process: auth, content type,
// ingestion version, content encoding, and a batch with any span lacking ids rejected whole.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Unauthorized, bodyFormat, checkAuth, checkIngestionVersion, decodeBody } from '../../apps/ingest-sink/src/contract.ts';
import { BadRequest } from '../../apps/ingest-sink/src/otlp-decode.ts';
import { jsonBody, protobufBody, testTrace } from '../support/otlp-requests.ts';

const keys = { publicKey: 'pk-lf-1', secretKey: 'sk-lf-1' };
const basic = (user: string) => `Basic ${Buffer.from(user).toString('base64')}`;

describe('checkAuth', () => {
  it('accepts exactly Basic base64(publicKey:secretKey)', () => {
    expect(() => checkAuth(basic('pk-lf-1:sk-lf-1'), keys)).not.toThrow();
  });
  it.each([
    [undefined, /missing Authorization header \(Basic base64\(publicKey:secretKey\)\)/],
    ['', /missing Authorization header/],
    [basic('pk-lf-1:wrong'), /invalid public\/secret key/],
    [basic('sk-lf-1:pk-lf-1'), /invalid public\/secret key/],
    [`Bearer ${Buffer.from('pk-lf-1:sk-lf-1').toString('base64')}`, /invalid/],
  ])('rejects %s', (header, message) => {
    expect(() => checkAuth(header, keys)).toThrow(Unauthorized);
    expect(() => checkAuth(header, keys)).toThrow(message);
  });
});

describe('bodyFormat', () => {
  it.each([
    ['application/x-protobuf', 'protobuf'],
    ['Application/X-Protobuf', 'protobuf'],
    ['application/json', 'json'],
    ['application/json; charset=utf-8', 'json'],
    [' application/json ;charset=utf-8', 'json'],
  ] as const)('%s is %s', (type, format) => {
    expect(bodyFormat(type)).toBe(format);
  });
  it.each([['text/plain'], [undefined], ['application/jsonx'], ['']])('%s is a BadRequest that names the allowed types', (type) => {
    expect(() => bodyFormat(type)).toThrow(BadRequest);
    expect(() => bodyFormat(type)).toThrow(`unsupported content type "${type ?? ''}": send application/x-protobuf or application/json`);
  });
});

describe('checkIngestionVersion', () => {
  it.each([[undefined], ['4'], ['3'], ['0']])('accepts %s', (header) => {
    expect(() => checkIngestionVersion(header)).not.toThrow();
  });
  it.each([['5'], ['4.5'], ['four']])('rejects %s, saying the highest it takes', (header) => {
    expect(() => checkIngestionVersion(header)).toThrow(BadRequest);
    expect(() => checkIngestionVersion(header)).toThrow(`unsupported x-langfuse-ingestion-version "${header}" (at most 4)`);
  });
});

describe('decodeBody', () => {
  const body = protobufBody(testTrace(3));

  it('decodes identity and gzip bodies the same way, with any case or spacing of the encoding', async () => {
    const plain = await decodeBody(body, undefined, 'protobuf');
    expect(plain).toHaveLength(3);
    expect(await decodeBody(body, 'identity', 'protobuf')).toEqual(plain);
    expect(await decodeBody(gzipSync(body), ' GZIP ', 'protobuf')).toEqual(plain);
  });

  it('rejects an unknown encoding and a body that is not gzip', async () => {
    await expect(decodeBody(body, 'br', 'protobuf')).rejects.toThrow('unsupported content encoding "br": use gzip or none');
    await expect(decodeBody(body, 'gzip', 'protobuf')).rejects.toThrow(/^invalid gzip body: /);
    await expect(decodeBody(body, 'gzip', 'protobuf')).rejects.toBeInstanceOf(BadRequest);
  });

  it.each([
    ['an empty span id', (s: ReturnType<typeof testTrace>) => (s[2].spanId = '')],
    ['an all-zero span id', (s: ReturnType<typeof testTrace>) => (s[2].spanId = '0'.repeat(16))],
    ['a short span id', (s: ReturnType<typeof testTrace>) => (s[2].spanId = 'abcd')],
    ['an empty trace id', (s: ReturnType<typeof testTrace>) => (s[2].traceId = '')],
    ['an all-zero trace id', (s: ReturnType<typeof testTrace>) => (s[2].traceId = '0'.repeat(32))],
    ['a short trace id', (s: ReturnType<typeof testTrace>) => (s[2].traceId = 'ab'.repeat(8))],
  ])('rejects the whole batch when one span has %s, naming that span', async (_label, spoil) => {
    const spans = testTrace(3);
    spoil(spans);
    for (const [raw, format] of [
      [protobufBody(spans), 'protobuf'],
      [jsonBody(spans), 'json'],
    ] as const) {
      await expect(decodeBody(raw, undefined, format)).rejects.toThrow('span 2 ("child-2") has no valid trace id or span id; the whole batch is rejected');
    }
  });

  it('accepts ids that contain zeros but are not all zero', async () => {
    const spans = testTrace(1);
    spans[0].traceId = `${'0'.repeat(31)}1`;
    spans[0].spanId = `1${'0'.repeat(15)}`;
    expect(await decodeBody(jsonBody(spans), undefined, 'json')).toHaveLength(1);
  });
});
