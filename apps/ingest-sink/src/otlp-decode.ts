// OTLP/HTTP trace request bodies (protobuf or JSON) → flat spans. Protobuf decoding uses the
// OpenTelemetry proto definitions as compiled by the OpenTelemetry JS project (protobufjs)
// in @opentelemetry/otlp-transformer 0.212 — the last release that ships them — installed
// under the alias `otlp-proto-definitions`.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = require('otlp-proto-definitions/build/src/generated/root.js');
const ExportTraceServiceRequest = root.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

export type AttributeValue = string | number | boolean;

export interface SinkSpan {
  readonly traceId: string;
  readonly spanId: string;
  /** '' for a root span. */
  readonly parentSpanId: string;
  readonly name: string;
  readonly endTimeMs: number;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  readonly resource: Readonly<Record<string, AttributeValue>>;
}

export class BadRequest extends Error {}

/** The fields read from a decoded request (protobufjs message or parsed OTLP/JSON). */
interface RawSpan {
  readonly traceId?: unknown;
  readonly spanId?: unknown;
  readonly parentSpanId?: unknown;
  readonly name?: unknown;
  readonly endTimeUnixNano?: unknown;
  readonly attributes?: unknown;
}
interface RawResourceSpans {
  readonly resource?: { readonly attributes?: unknown };
  readonly scopeSpans?: ReadonlyArray<{ readonly spans?: readonly RawSpan[] }>;
}

const hex = (v: unknown): string => {
  if (typeof v === 'string') return v.toLowerCase(); // OTLP/JSON carries ids as hex
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex');
  return '';
};

const nanosToMs = (v: unknown): number => {
  if (typeof v === 'number') return v / 1e6;
  if (typeof v === 'string') return Number(BigInt(v) / 1000n) / 1000;
  if (v && typeof v === 'object' && 'low' in v && 'high' in v) {
    const { low, high } = v as { low: number; high: number };
    return ((high >>> 0) * 4294967296 + (low >>> 0)) / 1e6;
  }
  return 0;
};

function attributes(list: unknown): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const kv of (list as Array<{ key: string; value?: Record<string, unknown> }>) ?? []) {
    const v = kv.value ?? {};
    const value =
      v.stringValue ??
      v.boolValue ??
      (v.intValue !== undefined ? Number(typeof v.intValue === 'object' ? nanosToMs(v.intValue) * 1e6 : v.intValue) : undefined) ??
      v.doubleValue;
    if (value !== undefined && value !== null) out[kv.key] = value as AttributeValue;
  }
  return out;
}

export function decodeTraces(body: Buffer, contentType: 'protobuf' | 'json'): SinkSpan[] {
  let request: { resourceSpans?: RawResourceSpans[] };
  try {
    request = contentType === 'protobuf' ? ExportTraceServiceRequest.decode(body) : JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new BadRequest(`cannot decode OTLP ${contentType} body: ${(error as Error).message}`);
  }
  const spans: SinkSpan[] = [];
  for (const rs of request.resourceSpans ?? []) {
    const resource = attributes(rs.resource?.attributes);
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        spans.push({
          traceId: hex(s.traceId),
          spanId: hex(s.spanId),
          parentSpanId: hex(s.parentSpanId),
          name: String(s.name ?? ''),
          endTimeMs: nanosToMs(s.endTimeUnixNano),
          attributes: attributes(s.attributes),
          resource,
        });
      }
    }
  }
  return spans;
}
