// Langfuse's OTLP ingestion contract (POST /api/public/otel/v1/traces), as its v4 route
// answers a client (web/src/pages/api/public/otel/v1/traces in the release source): Basic auth
// (401); the body, gunzipped when Content-Encoding says gzip; a content type that contains
// application/json or application/x-protobuf (400 otherwise); a body that parses (400); an
// empty export → 200 `{}`; any span Langfuse could not convert rejects the whole export (400);
// an x-langfuse-ingestion-version above 4 is a 400. Beyond Langfuse: bodies above a size limit,
// compressed or not, are refused with 413, so a hostile body cannot take the sink's memory.
import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { BadRequest, exportProblems, flattenSpans, isEmptyExport, parseResourceSpans, type SinkSpan } from './otlp-decode.ts';
import { discardRest } from '../../../contracts/http-body.ts';

export const TRACES_PATH = '/api/public/otel/v1/traces';
const gunzipAsync = promisify(gunzip);

export interface ProjectKeys {
  readonly publicKey: string;
  readonly secretKey: string;
}

export class Unauthorized extends Error {}
/** 413: the body (or what it inflates to) is larger than the sink accepts. */
export class PayloadTooLarge extends Error {}

/** The public and secret key of a Basic Authorization header; undefined when it is not one. */
export function basicCredentials(header: string | undefined): ProjectKeys | undefined {
  if (!header?.startsWith('Basic ')) return undefined;
  const text = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = text.indexOf(':');
  return colon < 0 ? undefined : { publicKey: text.slice(0, colon), secretKey: text.slice(colon + 1) };
}

export function checkAuth(header: string | undefined, keys: ProjectKeys): void {
  const given = basicCredentials(header);
  if (!header) throw new Unauthorized('missing Authorization header (Basic base64(publicKey:secretKey))');
  if (!given || given.publicKey !== keys.publicKey || given.secretKey !== keys.secretKey) throw new Unauthorized('Invalid credentials');
}

/** Like Langfuse: the content type must contain one of the two OTLP media types. */
export function bodyFormat(contentType: string | undefined): 'protobuf' | 'json' {
  const type = (contentType ?? '').toLowerCase();
  if (type.includes('application/x-protobuf')) return 'protobuf';
  if (type.includes('application/json')) return 'json';
  throw new BadRequest(`Invalid content type "${contentType ?? ''}": send application/x-protobuf or application/json`);
}

export function checkIngestionVersion(header: string | undefined): void {
  if (header === undefined || header === '') return;
  const version = Number.parseInt(header, 10);
  if (Number.isNaN(version) || version > 4) throw new BadRequest(`Unsupported x-langfuse-ingestion-version: "${header}". Maximum supported: "4".`);
}

/**
 * The body, at most `limit` bytes. A Content-Length above the limit is refused before a byte
 * is read; a chunked body that grows past it stops being kept as soon as it does.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    discardRest(req, limit);
    return Promise.reject(new PayloadTooLarge(`body of ${declared} bytes is larger than the ${limit} bytes this sink accepts`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > limit) {
        refused = true;
        chunks.length = 0;
        discardRest(req, limit);
        reject(new PayloadTooLarge(`body larger than the ${limit} bytes this sink accepts`));
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Gunzips when Content-Encoding contains gzip (as Langfuse does), never beyond `limit` bytes. */
export async function inflate(raw: Buffer, encoding: string | undefined, limit: number): Promise<Buffer> {
  if (!encoding?.toLowerCase().includes('gzip')) return raw;
  return gunzipAsync(raw, { maxOutputLength: limit }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError)
      throw new PayloadTooLarge(`gzip body inflates to more than the ${limit} bytes this sink accepts`);
    throw new BadRequest(`Failed to decompress request body: ${error.message}`);
  });
}

export interface DecodedExport {
  /** As parsed: what Langfuse stores and queues. */
  readonly resourceSpans: unknown;
  /** Nothing to store: Langfuse answers `{}`. */
  readonly empty: boolean;
  readonly spans: SinkSpan[];
}

/** Body (already inflated) → the export, checked as Langfuse checks it. */
export function decodeExport(body: Buffer, contentType: string | undefined): DecodedExport {
  const resourceSpans = parseResourceSpans(body, bodyFormat(contentType));
  if (isEmptyExport(resourceSpans)) return { resourceSpans, empty: true, spans: [] };
  const problems = exportProblems(resourceSpans);
  if (problems.length > 0)
    throw new BadRequest(
      `Invalid OTLP trace export (${problems.join(', ')}): traceId and spanId are required on every span as a string or byte array; scopeSpans, spans, attributes and events must be arrays. The entire export was rejected and no spans were ingested.`,
    );
  return { resourceSpans, empty: false, spans: flattenSpans(resourceSpans) };
}
