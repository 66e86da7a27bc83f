// Langfuse's OTLP ingestion contract (POST /api/public/otel/v1/traces), as Langfuse's server
// answers it: Basic auth (401), protobuf or JSON only (400 otherwise), gzip accepted, a span without
// trace or span id rejects the whole batch (400), ingestion version > 4 is a 400, 200 + JSON.
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { BadRequest, decodeTraces, type SinkSpan } from './otlp-decode.ts';

export const TRACES_PATH = '/api/public/otel/v1/traces';
const gunzipAsync = promisify(gunzip);

export interface ProjectKeys {
  readonly publicKey: string;
  readonly secretKey: string;
}

export class Unauthorized extends Error {}

export function checkAuth(header: string | undefined, keys: ProjectKeys): void {
  const expected = `Basic ${Buffer.from(`${keys.publicKey}:${keys.secretKey}`).toString('base64')}`;
  if (header !== expected) throw new Unauthorized(header ? 'invalid public/secret key' : 'missing Authorization header (Basic base64(publicKey:secretKey))');
}

export function bodyFormat(contentType: string | undefined): 'protobuf' | 'json' {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/x-protobuf') return 'protobuf';
  if (type === 'application/json') return 'json';
  throw new BadRequest(`unsupported content type "${contentType ?? ''}": send application/x-protobuf or application/json`);
}

export function checkIngestionVersion(header: string | undefined): void {
  if (header === undefined) return;
  const version = Number(header);
  if (!Number.isInteger(version) || version > 4) throw new BadRequest(`unsupported x-langfuse-ingestion-version "${header}" (at most 4)`);
}

export async function decodeBody(raw: Buffer, encoding: string | undefined, format: 'protobuf' | 'json'): Promise<SinkSpan[]> {
  let body = raw;
  const enc = (encoding ?? 'identity').trim().toLowerCase();
  if (enc === 'gzip') {
    body = await gunzipAsync(raw).catch((error: Error) => {
      throw new BadRequest(`invalid gzip body: ${error.message}`);
    });
  } else if (enc !== 'identity') {
    throw new BadRequest(`unsupported content encoding "${encoding}": use gzip or none`);
  }
  const spans = decodeTraces(body, format);
  const bad = spans.findIndex((s) => !/^[0-9a-f]{32}$/.test(s.traceId) || /^0+$/.test(s.traceId) || !/^[0-9a-f]{16}$/.test(s.spanId) || /^0+$/.test(s.spanId));
  if (bad >= 0) throw new BadRequest(`span ${bad} ("${spans[bad].name}") has no valid trace id or span id; the whole batch is rejected`);
  return spans;
}
