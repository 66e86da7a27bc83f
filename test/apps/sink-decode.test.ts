// ingest-sink's decoding, in-process, against bodies encoded by OpenTelemetry JS's own
// serializers: protobuf and JSON give the same spans, ids, links, times and attributes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BadRequest, attributes, decodeTraces, hexId, nanosToMs } from '../../apps/ingest-sink/src/otlp-decode.ts';
import { jsonBody, protobufBody, testTrace, type TestSpan } from '../support/otlp-requests.ts';
import { runs } from '../support/property-runs.ts';

const END = 1_790_000_000_123; // ms since the epoch, whole ms so both encodings agree exactly

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

  it('an empty request is no spans', () => {
    expect(decodeTraces(Buffer.alloc(0), 'protobuf')).toEqual([]);
    expect(decodeTraces(Buffer.from('{}'), 'json')).toEqual([]);
  });

  it.each([
    ['protobuf', Buffer.from([0x0a, 0xff, 0xff]), /cannot decode OTLP protobuf body/],
    ['json', Buffer.from('{"resourceSpans": ['), /cannot decode OTLP json body/],
    ['json', Buffer.from('[1, 2]'), /not an ExportTraceServiceRequest/],
    ['json', Buffer.from('null'), /not an ExportTraceServiceRequest/],
    ['json', Buffer.from('{"resourceSpans": 3}'), /not an ExportTraceServiceRequest/],
  ] as const)('%s body %s is a BadRequest naming the encoding', (format, body, message) => {
    expect(() => decodeTraces(body, format)).toThrow(BadRequest);
    expect(() => decodeTraces(body, format)).toThrow(message);
  });
});

describe('field readers', () => {
  it('hexId: bytes → lower-case hex, a hex string lower-cased, anything else is no id', () => {
    expect(hexId(Uint8Array.from([0, 171, 255]))).toBe('00abff');
    expect(hexId(Buffer.from('0A0b', 'hex').subarray(1))).toBe('0b');
    expect(hexId('ABCdef')).toBe('abcdef');
    expect(hexId(undefined)).toBe('');
    expect(hexId(12)).toBe('');
  });

  it('nanosToMs: decimal strings exactly to the µs, numbers, and 0 for anything else', () => {
    expect(nanosToMs('1790000000123456789')).toBe(1790000000123.456);
    expect(nanosToMs(2_500_000)).toBe(2.5);
    expect(nanosToMs('12abc')).toBe(0);
    expect(nanosToMs(undefined)).toBe(0);
    expect(nanosToMs({ low: 1, high: 0 })).toBe(0);
  });

  it('attributes: string, bool, int (also as a decimal string) and double; others and malformed entries are skipped', () => {
    expect(
      attributes([
        { key: 's', value: { stringValue: 'v' } },
        { key: 'b', value: { boolValue: false } },
        { key: 'i', value: { intValue: '9007199254740993' } },
        { key: 'n', value: { intValue: 7 } },
        { key: 'd', value: { doubleValue: 0.25 } },
        { key: 'arr', value: { arrayValue: { values: [] } } },
        { key: 'none' },
        { value: { stringValue: 'no key' } },
        null,
      ]),
    ).toEqual({ s: 'v', b: false, i: 9007199254740992, n: 7, d: 0.25 });
    expect(attributes(undefined)).toEqual({});
    expect(attributes('nope')).toEqual({});
  });
});
