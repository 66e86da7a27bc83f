// Langfuse's ingestion contract as ingest-sink checks it, in-process: auth, content type,
// ingestion version, content encoding, and a batch with any span lacking ids rejected whole,
// in the words of Langfuse v4's OTLP route (ingest-sink-fidelity.test.ts compares bodies).
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Unauthorized, bodyFormat, checkAuth, checkIngestionVersion, decodeExport, inflate } from '../../apps/ingest-sink/src/contract.ts';
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
    [basic('pk-lf-1:wrong'), /Invalid credentials/],
    [basic('sk-lf-1:pk-lf-1'), /Invalid credentials/],
    [`Bearer ${Buffer.from('pk-lf-1:sk-lf-1').toString('base64')}`, /Invalid credentials/],
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
    // Langfuse checks that the type contains one of the two, so this passes there too.
    ['application/jsonx', 'json'],
  ] as const)('%s is %s', (type, format) => {
    expect(bodyFormat(type)).toBe(format);
  });
  it.each([['text/plain'], [undefined], ['application/protobuf'], ['']])('%s is a BadRequest that names the allowed types', (type) => {
    expect(() => bodyFormat(type)).toThrow(BadRequest);
    expect(() => bodyFormat(type)).toThrow(`Invalid content type "${type ?? ''}": send application/x-protobuf or application/json`);
  });
});

describe('checkIngestionVersion', () => {
  it.each([[undefined], ['4'], ['3'], ['0'], ['4.5']])('accepts %s (a leading integer, as parseInt reads it)', (header) => {
    expect(() => checkIngestionVersion(header)).not.toThrow();
  });
  it.each([['5'], ['four']])('rejects %s, saying the highest it takes', (header) => {
    expect(() => checkIngestionVersion(header)).toThrow(BadRequest);
    expect(() => checkIngestionVersion(header)).toThrow(`Unsupported x-langfuse-ingestion-version: "${header}". Maximum supported: "4".`);
  });
});

describe('inflate and decodeExport', () => {
  const body = protobufBody(testTrace(3));
  const LIMIT = 1024 * 1024;
  const decodeBody = async (raw: Buffer, encoding: string | undefined, type = 'application/x-protobuf') =>
    decodeExport(await inflate(raw, encoding, LIMIT), type).spans;

  it('decodes identity and gzip bodies the same way, with any case or spacing of the encoding', async () => {
    const plain = await decodeBody(body, undefined);
    expect(plain).toHaveLength(3);
    expect(await decodeBody(body, 'identity')).toEqual(plain);
    expect(await decodeBody(gzipSync(body), ' GZIP ')).toEqual(plain);
  });

  it('rejects a body that says gzip but is not', async () => {
    await expect(decodeBody(body, 'gzip')).rejects.toThrow(/^Failed to decompress request body: /);
    await expect(decodeBody(body, 'gzip')).rejects.toBeInstanceOf(BadRequest);
  });

  it('rejects the whole batch when one span has no trace id or span id, naming what is missing', async () => {
    const spans = testTrace(3);
    const json = JSON.parse(jsonBody(spans).toString());
    delete json.resourceSpans[0].scopeSpans[0].spans[2].spanId;
    await expect(decodeBody(Buffer.from(JSON.stringify(json)), undefined, 'application/json')).rejects.toThrow(
      /^Invalid OTLP trace export \(spanId:absent\): .* The entire export was rejected and no spans were ingested\.$/,
    );
  });

  it('accepts any string as an id, all-zero or short, as Langfuse does', async () => {
    const spans = testTrace(2);
    spans[0].traceId = '0'.repeat(32);
    spans[1].spanId = 'abcd';
    expect(await decodeBody(jsonBody(spans), undefined, 'application/json')).toHaveLength(2);
  });
});
