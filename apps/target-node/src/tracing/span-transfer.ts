// Spans across a thread boundary. ReadableSpan objects carry methods and shared Resource
// objects that structured clone cannot copy, so the event loop maps each to plain data (the
// hand-off the worker exporter pays) and the worker rebuilds objects the OTLP transformer
// reads exactly as it reads the SDK's own spans.
import type { Attributes, HrTime, Link, SpanContext, SpanKind, SpanStatus } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';

export interface PlainSpan {
  readonly name: string;
  readonly kind: SpanKind;
  readonly context: SpanContext;
  readonly parent?: SpanContext;
  readonly startTime: HrTime;
  readonly endTime: HrTime;
  readonly duration: HrTime;
  readonly status: SpanStatus;
  readonly attributes: Attributes;
  readonly links: Link[];
  readonly events: TimedEvent[];
  readonly scope: { name: string; version?: string; schemaUrl?: string };
  readonly dropped: [attributes: number, events: number, links: number];
  /** Index into the batch's resources. */
  readonly resource: number;
}

export interface PlainBatch {
  readonly resources: Attributes[];
  readonly spans: PlainSpan[];
}

/** On the event loop: the cheapest faithful copy (attribute values are shared, not encoded). */
export function toPlainBatch(spans: readonly ReadableSpan[]): PlainBatch {
  const resources: Attributes[] = [];
  const index = new Map<object, number>();
  const plain = spans.map((span): PlainSpan => {
    let r = index.get(span.resource);
    if (r === undefined) {
      r = resources.push(span.resource.attributes) - 1;
      index.set(span.resource, r);
    }
    const scope = span.instrumentationScope;
    return {
      name: span.name,
      kind: span.kind,
      context: span.spanContext(),
      parent: span.parentSpanContext,
      startTime: span.startTime,
      endTime: span.endTime,
      duration: span.duration,
      status: span.status,
      attributes: span.attributes,
      links: span.links,
      events: span.events,
      scope: { name: scope.name, version: scope.version, schemaUrl: scope.schemaUrl },
      dropped: [span.droppedAttributesCount, span.droppedEventsCount, span.droppedLinksCount],
      resource: r,
    };
  });
  return { resources, spans: plain };
}

/** In the worker: ReadableSpan-shaped objects; spans of one resource share one Resource. */
export function fromPlainBatch(batch: PlainBatch): ReadableSpan[] {
  const resources = batch.resources.map((attributes) => resourceFromAttributes(attributes));
  return batch.spans.map(
    (s): ReadableSpan => ({
      name: s.name,
      kind: s.kind,
      spanContext: () => s.context,
      parentSpanContext: s.parent,
      startTime: s.startTime,
      endTime: s.endTime,
      duration: s.duration,
      status: s.status,
      attributes: s.attributes,
      links: s.links,
      events: s.events,
      ended: true,
      resource: resources[s.resource],
      instrumentationScope: s.scope,
      droppedAttributesCount: s.dropped[0],
      droppedEventsCount: s.dropped[1],
      droppedLinksCount: s.dropped[2],
    }),
  );
}
