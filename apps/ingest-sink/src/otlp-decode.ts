// OTLP/HTTP trace request bodies (protobuf or JSON) → flat spans. Protobuf is decoded by
// protobufjs (its public parse/decode API) against the part of OTLP's trace schema the sink
// reads (otlp-schema.ts); fields it does not declare are skipped, as protobuf requires.
import protobuf from 'protobufjs';
import { OTLP_TRACE_SCHEMA } from './otlp-schema.ts';

const ExportTraceServiceRequest = protobuf.parse(OTLP_TRACE_SCHEMA).root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest');

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

/** Ids: bytes in protobuf, hex strings in OTLP/JSON. Anything else reads as no id. */
export const hexId = (v: unknown): string => {
  if (typeof v === 'string') return v.toLowerCase();
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex');
  return '';
};

/** OTLP's uint64 nanoseconds (a decimal string, or a number in lenient JSON) → ms; 0 if absent. */
export const nanosToMs = (v: unknown): number => {
  if (typeof v === 'number') return v / 1e6;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(BigInt(v) / 1000n) / 1000;
  return 0;
};

export function attributes(list: unknown): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  if (!Array.isArray(list)) return out;
  for (const kv of list as Array<{ key?: unknown; value?: Record<string, unknown> | null }>) {
    if (typeof kv?.key !== 'string') continue;
    const v = kv.value ?? {};
    const value = v.stringValue ?? v.boolValue ?? (v.intValue !== undefined && v.intValue !== null ? Number(v.intValue) : undefined) ?? v.doubleValue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out[kv.key] = value;
  }
  return out;
}

export function decodeTraces(body: Buffer, contentType: 'protobuf' | 'json'): SinkSpan[] {
  let request: { resourceSpans?: RawResourceSpans[] };
  try {
    request =
      contentType === 'protobuf'
        ? // A plain object with only the fields that are set (an unset oneof member reads as
          // undefined, not as its default) and 64-bit integers as decimal strings, as in OTLP/JSON.
          (ExportTraceServiceRequest.toObject(ExportTraceServiceRequest.decode(body), { longs: String }) as typeof request)
        : JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new BadRequest(`cannot decode OTLP ${contentType} body: ${(error as Error).message}`);
  }
  if (
    typeof request !== 'object' ||
    request === null ||
    Array.isArray(request) ||
    (request.resourceSpans !== undefined && !Array.isArray(request.resourceSpans))
  ) {
    throw new BadRequest(`OTLP ${contentType} body is not an ExportTraceServiceRequest (expected {"resourceSpans": [...]})`);
  }
  const spans: SinkSpan[] = [];
  for (const rs of request.resourceSpans ?? []) {
    const resource = attributes(rs?.resource?.attributes);
    for (const ss of rs?.scopeSpans ?? []) {
      for (const s of ss?.spans ?? []) {
        spans.push({
          traceId: hexId(s.traceId),
          spanId: hexId(s.spanId),
          parentSpanId: hexId(s.parentSpanId),
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
