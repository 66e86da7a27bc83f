// ingest-sink's decoding, in-process, against bodies encoded by OpenTelemetry JS's own
// serializers: protobuf and JSON give the same spans, ids, links, times and attributes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeExport } from '../../apps/ingest-sink/src/contract.ts';
import { BadRequest } from '../../apps/ingest-sink/src/otlp-decode.ts';
import { jsonBody, protobufBody, testTrace, type TestSpan } from '../support/otlp-requests.ts';
import { runs } from '../support/property-runs.ts';

const END = 1_790_000_000_123; // ms since the epoch, whole ms so both encodings agree exactly
const CONTENT_TYPE = { protobuf: 'application/x-protobuf', json: 'application/json' } as const;
/** The spans the sink counts for a body (checked and flattened as the ingestion route does). */
const decodeTraces = (body: Buffer, format: 'protobuf' | 'json') => decodeExport(body, CONTENT_TYPE[format]).spans;

describe('decodeTraces', () => {
  it.each(['protobuf', 'json'] as const)('%s: ids, parent links, names, end time, attributes and resource', (format) => {
    const trace = testTrace(3, { endTimeMs: END, attributes: { tokens: 42, ratio: 0.5, cached: false, model: 'gpt-4o-mini' } });
    const spans = decodeTraces(format === 'protobuf' ? protobufBody(trace) : jsonBody(trace), format);
    expect(spans.map((s) => [s.traceId, s.spanId, s.parentSpanId, s.name])).toEqual(trace.map((s) => [s.traceId, s.spanId, s.parentSpanId ?? '', s.name]));
    expect(spans[1]).toMatchObject({
      endTimeMs: END,
      attributes: { 'langfuse.observation.type': 'generation', tokens: 42, ratio: 0.5, cached: false, model: 'gpt-4o-mini' },
      resource: { 'service.name': 'contract-test', 'tracelab.topology': 'test' },
    });
  });

  it('keeps each span with its own resource when one request carries several', () => {
    const a = testTrace(2, { resource: { 'service.name': 'a', 'tracelab.topology': 'x' } });
    const b = testTrace(1, { resource: { 'service.name': 'b', 'tracelab.topology': 'y' } });
    for (const format of ['protobuf', 'json'] as const) {
      const spans = decodeTraces(format === 'protobuf' ? protobufBody([...a, ...b]) : jsonBody([...a, ...b]), format);
      expect(spans.map((s) => s.resource['service.name'])).toEqual(['a', 'a', 'b']);
    }
  });

  it('property: protobuf and JSON decode to the same spans for any ids, names and attributes', () => {
    const hex = (bytes: number) => fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => Buffer.from(b).toString('hex'));
    const spanArb = fc.record({
      traceId: hex(16),
      spanId: hex(8),
      parentSpanId: fc.option(hex(8), { nil: undefined }),
      name: fc.string(),
      type: fc.constantFrom('span', 'generation', 'event'),
      endTimeMs: fc.integer({ min: 1, max: 4_000_000_000_000 }),
      attributes: fc.dictionary(
        fc.string({ minLength: 1 }),
        fc.oneof(fc.string(), fc.boolean(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })),
      ),
    });
    fc.assert(
      fc.property(fc.array(spanArb, { minLength: 1, maxLength: 5 }), (spans: TestSpan[]) => {
        const fromProto = decodeTraces(protobufBody(spans), 'protobuf');
        expect(decodeTraces(jsonBody(spans), 'json')).toEqual(fromProto);
        expect(fromProto.map((s) => s.spanId)).toEqual(spans.map((s) => s.spanId));
      }),
      runs(50),
    );
  });

  it('an empty request, or one whose resourceSpans is not a list, is no spans (Langfuse answers {} or stores nothing)', () => {
    expect(decodeTraces(Buffer.alloc(0), 'protobuf')).toEqual([]);
    expect(decodeTraces(Buffer.from('{}'), 'json')).toEqual([]);
    expect(decodeTraces(Buffer.from('[1, 2]'), 'json')).toEqual([]);
    expect(decodeTraces(Buffer.from('{"resourceSpans": 3}'), 'json')).toEqual([]);
  });

  it.each([
    ['protobuf', Buffer.from([0x0a, 0xff, 0xff]), /^Failed to parse OTel Protobuf Trace: /],
    ['json', Buffer.from('{"resourceSpans": ['), /^Failed to parse OTel JSON Trace: /],
    ['json', Buffer.from('null'), /^Failed to parse OTel JSON Trace: /],
  ] as const)("%s body %s is a BadRequest in Langfuse's words", (format, body, message) => {
    expect(() => decodeTraces(body, format)).toThrow(BadRequest);
    expect(() => decodeTraces(body, format)).toThrow(message);
  });
});
