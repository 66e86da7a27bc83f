// Counting what the tracing pipeline does, for /metrics and the timeline: spans started and
// ended (and which lab slot made them), export calls with their outcome, their duration and
// how long each held the event loop, and spans the batch processor dropped.
import { DiagLogLevel, diag } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, Span, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { SLOT_ATTRIBUTE } from '../../../../contracts/app-metrics.ts';
import { ENVIRONMENT_ATTRIBUTE, slotEnvironment } from '../../../../contracts/slot-environment.ts';
import { epochMs } from '../timeline.ts';
import type { TracingCounters, TracingObserver } from './types.ts';

/** An exporter may report its own encoding time (the worker exporter does). */
export interface TimedExportResult extends ExportResult {
  readonly serializeMs?: number;
}

export class CountingExporter implements SpanExporter {
  private readonly inner: SpanExporter;
  private readonly counters: TracingCounters;
  private readonly observer: TracingObserver;
  constructor(inner: SpanExporter, counters: TracingCounters, observer: TracingObserver) {
    this.inner = inner;
    this.counters = counters;
    this.observer = observer;
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    const startMs = epochMs();
    const started = performance.now();
    this.counters.exportCalls++;
    // The outcome may arrive before export() returns (a synchronous failure): record the
    // event once both the synchronous part and the outcome are known.
    let onLoopMs: number | undefined;
    let outcome: { result: TimedExportResult; endMs: number } | undefined;
    const record = () => {
      if (onLoopMs === undefined || !outcome) return;
      const ok = outcome.result.code === ExportResultCode.SUCCESS;
      this.observer.export({ startMs, endMs: outcome.endMs, spans: spans.length, ok, onLoopMs, serializeMs: outcome.result.serializeMs });
    };
    this.inner.export(spans, (result: TimedExportResult) => {
      this.counters.exportSeconds += (performance.now() - started) / 1000;
      if (result.code === ExportResultCode.SUCCESS) this.counters.spansExported += spans.length;
      else this.counters.spansExportFailed += spans.length;
      outcome = { result, endMs: epochMs() };
      record();
      done(result);
    });
    onLoopMs = performance.now() - started;
    record();
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

/**
 * Counts spans as they start and end, and stamps each with the lab slot current when it
 * started (and the Langfuse environment derived from it), so the backend — ingest-sink or a
 * real Langfuse — can count a span in the slot of the request that made it. First in the
 * processor list.
 */
export class CountingProcessor implements SpanProcessor {
  private readonly counters: TracingCounters;
  private readonly slot: () => string | undefined;
  // The environment is hashed once per slot, not once per span (this runs in the measured app).
  private stamped = { slot: '', environment: '' };
  constructor(counters: TracingCounters, slot: () => string | undefined) {
    this.counters = counters;
    this.slot = slot;
  }
  onStart(span: Span): void {
    this.counters.spansStarted++;
    const slot = this.slot();
    if (!slot) return;
    if (this.stamped.slot !== slot) this.stamped = { slot, environment: slotEnvironment(slot) };
    span.setAttributes({ [SLOT_ATTRIBUTE]: slot, [ENVIRONMENT_ATTRIBUTE]: this.stamped.environment });
  }
  onEnd(): void {
    this.counters.spansEnded++;
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** The BatchSpanProcessor reports queue-full drops only through diag; count them from there. */
export function countQueueDrops(counters: TracingCounters): void {
  const dropped = /^Dropped (\d+) spans because maxQueueSize reached/;
  const warn = (message: string) => {
    const match = dropped.exec(message);
    if (match) counters.spansDropped += Number(match[1]);
    else process.stderr.write(`otel: ${message}\n`);
  };
  diag.setLogger({ error: warn, warn, info: () => {}, debug: () => {}, verbose: () => {} }, DiagLogLevel.WARN);
}
