// OTLP trace requests for contract tests of the sink, encoded by OpenTelemetry JS's own
// serializers (the public ProtobufTraceSerializer / JsonTraceSerializer of
// @opentelemetry/otlp-transformer) — an encoder independent of the sink's decoder.
import { gzipSync } from 'node:zlib';
import { SpanKind, SpanStatusCode, TraceFlags, type AttributeValue } from '@opentelemetry/api';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

export interface TestSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  type?: string;
  /** Span end, ms since the epoch (default: now). */
  endTimeMs?: number;
  attributes?: Record<string, AttributeValue>;
  /** Resource attributes (default: service contract-test, topology test). */
  resource?: Record<string, AttributeValue>;
}

const randomHex = (bytes: number) => Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString('hex');

/** A trace of `n` spans: one root and n-1 children, the second one a generation. */
export function testTrace(n: number, extra: Partial<TestSpan> = {}): TestSpan[] {
  const traceId = randomHex(16);
  const rootId = randomHex(8);
  return Array.from({ length: n }, (_, i) => ({
    traceId,
    spanId: i === 0 ? rootId : randomHex(8),
    parentSpanId: i === 0 ? undefined : rootId,
    name: i === 0 ? 'root' : `child-${i}`,
    type: i === 1 ? 'generation' : 'span',
    ...extra,
  }));
}

const DEFAULT_RESOURCE = { 'service.name': 'contract-test', 'tracelab.topology': 'test' };
/** One scope object for every span: the serializer groups spans by scope object, as a tracer's spans share theirs. */
const SCOPE = { name: 'test' };

/** What the SDK would hand its exporter for these spans. */
export function readableSpans(spans: TestSpan[]): ReadableSpan[] {
  const resources = new Map<string, ReturnType<typeof resourceFromAttributes>>();
  const resourceOf = (attrs: Record<string, AttributeValue>) => {
    const key = JSON.stringify(attrs);
    if (!resources.has(key)) resources.set(key, resourceFromAttributes(attrs));
    return resources.get(key)!;
  };
  return spans.map((s) => {
    const endMs = s.endTimeMs ?? Date.now();
    const hr = (ms: number): [number, number] => [Math.floor(ms / 1000), Math.round((ms % 1000) * 1e6)];
    return {
      name: s.name,
      kind: SpanKind.INTERNAL,
      spanContext: () => ({ traceId: s.traceId, spanId: s.spanId, traceFlags: TraceFlags.SAMPLED }),
      parentSpanContext: s.parentSpanId ? { traceId: s.traceId, spanId: s.parentSpanId, traceFlags: TraceFlags.SAMPLED } : undefined,
      startTime: hr(endMs - 1),
      endTime: hr(endMs),
      status: { code: SpanStatusCode.UNSET },
      attributes: { 'langfuse.observation.type': s.type ?? 'span', ...s.attributes },
      links: [],
      events: [],
      duration: [0, 1_000_000],
      ended: true,
      resource: resourceOf(s.resource ?? DEFAULT_RESOURCE),
      instrumentationScope: SCOPE,
      droppedAttributesCount: 0,
      droppedEventsCount: 0,
      droppedLinksCount: 0,
    } satisfies ReadableSpan;
  });
}

/** `attributes` are added to every span (e.g. a Langfuse environment to count them by). */
export function protobufBody(spans: TestSpan[], attributes: Record<string, AttributeValue> = {}): Buffer {
  const tagged = spans.map((s) => ({ ...s, attributes: { ...s.attributes, ...attributes } }));
  return Buffer.from(ProtobufTraceSerializer.serializeRequest(readableSpans(tagged))!);
}

export function jsonBody(spans: TestSpan[]): Buffer {
  return Buffer.from(JsonTraceSerializer.serializeRequest(readableSpans(spans))!);
}

export const gzip = (body: Buffer) => gzipSync(body);
