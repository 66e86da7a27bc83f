// OTLP/HTTP trace request bodies (protobuf or JSON) → the request's resourceSpans, checked the
// way Langfuse v4's OTLP route checks them, → flat spans for counting. Protobuf is decoded by
// protobufjs against OTLP's full trace schema (contracts/otlp-trace.ts) and turned into the
// same plain object Langfuse works on (toObject with longs as strings), so one walk serves both
// encodings and the stored batch keeps every field Langfuse keeps.
// Every function here takes untrusted input: nothing may throw but BadRequest.
import { ExportTraceServiceRequest } from '../../../contracts/otlp-trace.ts';

export type AttributeValue = string | number | boolean;

export interface SinkSpan {
  readonly traceId: string;
  readonly spanId: string;
  /** '' for a root span. */
  readonly parentSpanId: string;
  readonly name: string;
  /** NaN when the span's end time is missing or unreadable. */
  readonly endTimeMs: number;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  readonly resource: Readonly<Record<string, AttributeValue>>;
}

/** The client sent something Langfuse answers with 400; the message says what. */
export class BadRequest extends Error {}

/**
 * The request's resourceSpans, as Langfuse reads them: protobuf decoded to a plain object,
 * JSON parsed. A body that does not parse (a JSON `null` included: Langfuse reads
 * `.resourceSpans` of it inside its try) is a BadRequest.
 */
export function parseResourceSpans(body: Buffer, format: 'protobuf' | 'json'): unknown {
  if (format === 'protobuf') {
    try {
      return ExportTraceServiceRequest.toObject(ExportTraceServiceRequest.decode(body), { longs: String }).resourceSpans;
    } catch (error) {
      throw new BadRequest(`Failed to parse OTel Protobuf Trace: ${(error as Error).message}`);
    }
  }
  try {
    return JSON.parse(body.toString('utf8')).resourceSpans;
  } catch (error) {
    throw new BadRequest(`Failed to parse OTel JSON Trace: ${(error as Error).message}`);
  }
}

/** Langfuse answers an absent or empty resourceSpans with 200 `{}` and stores nothing. */
export function isEmptyExport(resourceSpans: unknown): boolean {
  return !resourceSpans || (resourceSpans as { length?: unknown }).length === 0;
}

const isMalformedList = (value: unknown) => value !== null && value !== undefined && !Array.isArray(value);
// Untrusted parsed JSON, walked with optional chaining and checked before every use.
// biome-ignore lint/suspicious/noExplicitAny: the shape is what this module checks
type Loose = Record<string, any> | null | undefined;

/** Why Langfuse could not convert this id (absent, or not a string / byte array), or undefined. */
function idProblem(value: unknown): 'absent' | 'not_an_id' | undefined {
  if (value === null || value === undefined) return 'absent';
  if (typeof value === 'string' || value instanceof Uint8Array || Array.isArray(value)) return undefined;
  if (typeof value === 'object' && (value as Loose)?.type === 'Buffer' && Array.isArray((value as Loose)?.data)) return undefined;
  return 'not_an_id';
}

/**
 * Everything that makes Langfuse v4 reject the whole export with 400 (its
 * validateOtelSpanIds): a span whose traceId or spanId is absent or not a string / byte array
 * (any string is accepted), a present parentSpanId of the wrong type, and scopeSpans, spans,
 * attributes or events that are present but not arrays. A resourceSpans that is not an array
 * is not checked — Langfuse accepts it (and its worker finds no spans in it).
 */
export function exportProblems(resourceSpans: unknown): string[] {
  const reasons = new Set<string>();
  if (!Array.isArray(resourceSpans)) return [];
  for (const rs of resourceSpans as Loose[]) {
    if (isMalformedList(rs?.resource?.attributes)) reasons.add('resource.attributes:not_an_array');
    const scopeSpans = rs?.scopeSpans;
    if (!Array.isArray(scopeSpans)) {
      if (scopeSpans !== null && scopeSpans !== undefined) reasons.add('scopeSpans:not_an_array');
      continue;
    }
    for (const ss of scopeSpans as Loose[]) {
      if (isMalformedList(ss?.scope?.attributes)) reasons.add('scope.attributes:not_an_array');
      const spans = ss?.spans;
      if (!Array.isArray(spans)) {
        if (spans !== null && spans !== undefined) reasons.add('spans:not_an_array');
        continue;
      }
      for (const span of spans as Loose[]) {
        for (const field of ['traceId', 'spanId'] as const) {
          const problem = idProblem(span?.[field]);
          if (problem) reasons.add(`${field}:${problem}`);
        }
        if (span?.parentSpanId && idProblem(span.parentSpanId)) reasons.add('parentSpanId:not_an_id');
        if (isMalformedList(span?.attributes)) reasons.add('attributes:not_an_array');
        if (isMalformedList(span?.events)) reasons.add('events:not_an_array');
        else if (Array.isArray(span?.events) && span.events.some((e: Loose) => isMalformedList(e?.attributes))) reasons.add('event.attributes:not_an_array');
      }
    }
  }
  return [...reasons];
}

/** An id as Langfuse keeps it: strings as given, bytes (or bytes that went through JSON) as hex. */
function idText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex');
  const bytes = Array.isArray(value) ? value : (value as Loose)?.data;
  if (!Array.isArray(bytes)) return '';
  return Buffer.from(bytes.map((b) => (typeof b === 'number' ? b & 0xff : 0))).toString('hex');
}

/** Nanoseconds (string, number or {low, high}) → ms; NaN when unreadable. */
function nanosToMs(v: unknown): number {
  if (typeof v === 'number') return v / 1e6;
  if (typeof v === 'string') return /^\d{1,30}$/.test(v) ? Number(BigInt(v) / 1000n) / 1000 : Number.NaN;
  if (v && typeof v === 'object' && 'low' in v && 'high' in v) {
    const { low, high } = v as { low: number; high: number };
    return ((high >>> 0) * 4294967296 + (low >>> 0)) / 1e6;
  }
  return Number.NaN;
}

function attributes(list: unknown): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  if (!Array.isArray(list)) return out;
  for (const kv of list as Loose[]) {
    const v: Loose = kv?.value;
    if (typeof kv?.key !== 'string' || !v || typeof v !== 'object') continue;
    // Only primitives are read: Number() or String() of a parsed object can throw.
    const int = typeof v.intValue === 'string' || typeof v.intValue === 'number' ? Number(v.intValue) : undefined;
    const value = v.stringValue ?? v.boolValue ?? int ?? v.doubleValue;
    if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number') out[kv.key] = value;
  }
  return out;
}

/** The spans of a resourceSpans that passed exportProblems (non-arrays hold none). */
export function flattenSpans(resourceSpans: unknown): SinkSpan[] {
  const spans: SinkSpan[] = [];
  if (!Array.isArray(resourceSpans)) return spans;
  for (const rs of resourceSpans as Loose[]) {
    const resource = attributes(rs?.resource?.attributes);
    for (const ss of (rs?.scopeSpans ?? []) as Loose[]) {
      for (const s of (ss?.spans ?? []) as Loose[]) {
        spans.push({
          traceId: idText(s?.traceId),
          spanId: idText(s?.spanId),
          parentSpanId: s?.parentSpanId ? idText(s.parentSpanId) : '',
          name: typeof s?.name === 'string' ? s.name : '',
          endTimeMs: nanosToMs(s?.endTimeUnixNano),
          attributes: attributes(s?.attributes),
          resource,
        });
      }
    }
  }
  return spans;
}
