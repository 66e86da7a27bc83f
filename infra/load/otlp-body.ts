// One OTLP/HTTP protobuf request body of Langfuse-shaped spans, as an SDK's batch exporter
// would send it: the workload's trace shape repeated (a root with the request as input, a
// generation with prompt and completion, smaller steps), the spec's payload size captured,
// every span stamped with the slot it belongs to so the backend counts it there.
import { SLOT_ATTRIBUTE } from '../../contracts/app-metrics.ts';
import { ExportTraceServiceRequest as Request } from '../../contracts/otlp-trace.ts';
import { ENVIRONMENT_ATTRIBUTE, slotEnvironment } from '../../contracts/slot-environment.ts';

/** Spans per trace, as the default workload makes them. */
const TRACE_SPANS = 6;

export function otlpBatch(options: { spans: number; payloadBytes: number; slot: string }): Buffer {
  const now = BigInt(Date.now()) * 1_000_000n;
  const payload = 'x'.repeat(options.payloadBytes);
  const id = (n: number) => Buffer.from(crypto.getRandomValues(new Uint8Array(n)));
  const attr = (key: string, value: string) => ({ key, value: { stringValue: value } });
  let traceId = id(16);
  let rootId = id(8);
  const spans = Array.from({ length: options.spans }, (_, i) => {
    const k = i % TRACE_SPANS;
    if (k === 0) {
      traceId = id(16);
      rootId = id(8);
    }
    const type = k === 0 ? 'span' : k === 1 ? 'generation' : 'span';
    const attributes = [
      attr('langfuse.observation.type', type),
      attr(SLOT_ATTRIBUTE, options.slot),
      attr(ENVIRONMENT_ATTRIBUTE, slotEnvironment(options.slot)),
    ];
    if (k === 0) attributes.push(attr('langfuse.observation.input', payload), attr('langfuse.trace.name', 'chat-webhook'));
    if (k === 1)
      attributes.push(attr('langfuse.observation.input', payload), attr('langfuse.observation.output', payload), attr('gen_ai.request.model', 'gpt-4o-mini'));
    return {
      traceId,
      spanId: k === 0 ? rootId : id(8),
      ...(k === 0 ? {} : { parentSpanId: rootId }),
      name: k === 0 ? 'chat-webhook' : k === 1 ? 'llm-generation' : `step-${k}`,
      kind: 1,
      startTimeUnixNano: String(now - 100_000_000n),
      endTimeUnixNano: String(now),
      attributes,
    };
  });
  return Buffer.from(
    Request.encode(
      Request.fromObject({
        resourceSpans: [
          {
            resource: { attributes: [attr('service.name', 'tracelab-otlp-generator'), attr('tracelab.topology', 'gateway-ceiling')] },
            scopeSpans: [{ scope: { name: 'tracelab' }, spans }],
          },
        ],
      }),
    ).finish(),
  );
}
