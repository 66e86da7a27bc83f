// Building OTLP trace requests by hand, for contract tests of the sink.
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';

const root = createRequire(import.meta.url)('otlp-proto-definitions/build/src/generated/root.js');
const Request = root.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

export interface TestSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  type?: string;
}

const randomHex = (bytes: number) => Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString('hex');

/** A trace of `n` spans: one root and n-1 children, the second one a generation. */
export function testTrace(n: number): TestSpan[] {
  const traceId = randomHex(16);
  const rootId = randomHex(8);
  return Array.from({ length: n }, (_, i) => ({
    traceId,
    spanId: i === 0 ? rootId : randomHex(8),
    parentSpanId: i === 0 ? undefined : rootId,
    name: i === 0 ? 'root' : `child-${i}`,
    type: i === 1 ? 'generation' : 'span',
  }));
}

function otlp(spans: TestSpan[], id: (hex: string) => unknown, endNanos: unknown, extra: Record<string, string> = {}) {
  return {
    resourceSpans: [
      {
        resource: {
          attributes: [
            { key: 'service.name', value: { stringValue: 'contract-test' } },
            { key: 'tracelab.topology', value: { stringValue: 'test' } },
          ],
        },
        scopeSpans: [
          {
            scope: { name: 'test' },
            spans: spans.map((s) => ({
              traceId: id(s.traceId),
              spanId: id(s.spanId),
              parentSpanId: s.parentSpanId ? id(s.parentSpanId) : undefined,
              name: s.name,
              kind: 1,
              startTimeUnixNano: endNanos,
              endTimeUnixNano: endNanos,
              attributes: [
                { key: 'langfuse.observation.type', value: { stringValue: s.type ?? 'span' } },
                ...Object.entries(extra).map(([key, v]) => ({ key, value: { stringValue: v } })),
              ],
            })),
          },
        ],
      },
    ],
  };
}

/** `attributes` are added to every span (e.g. a Langfuse environment to count them by). */
export function protobufBody(spans: TestSpan[], attributes: Record<string, string> = {}): Buffer {
  const now = BigInt(Date.now()) * 1_000_000n;
  const message = Request.fromObject(otlp(spans, (h) => Buffer.from(h, 'hex'), now.toString(), attributes));
  return Buffer.from(Request.encode(message).finish());
}

export function jsonBody(spans: TestSpan[]): Buffer {
  return Buffer.from(JSON.stringify(otlp(spans, (h) => h, String(BigInt(Date.now()) * 1_000_000n))));
}

export const gzip = (body: Buffer) => gzipSync(body);
