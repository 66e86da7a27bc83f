// How spans leave the process, per tracing mode. The instrumentation (Langfuse tracing API)
// and the span processor (LangfuseSpanProcessor) are the same in every traced mode; only
// the exporter differs:
//   langfuse: OTLP/HTTP JSON (the SDK's own default exporter) → Langfuse
//   otlp:     OTLP/HTTP protobuf → a collector (gateway, sidecar, agent) → Langfuse
// Both exporters are wrapped to count export calls, their duration and their outcome.
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter as OtlpHttpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { BatchSpanProcessor, type ReadableSpan, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { LangfuseSpanProcessor } from '@langfuse/otel';
import type { TargetSettings } from '../../../../contracts/target-app.ts';
import type { TracingCounters } from './types.ts';

export interface LangfuseKeys {
  readonly publicKey: string;
  readonly secretKey: string;
}

class CountingExporter implements SpanExporter {
  private readonly inner: SpanExporter;
  private readonly counters: TracingCounters;
  constructor(inner: SpanExporter, counters: TracingCounters) {
    this.inner = inner;
    this.counters = counters;
  }
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    const started = performance.now();
    this.counters.exportCalls++;
    this.inner.export(spans, (result) => {
      this.counters.exportSeconds += (performance.now() - started) / 1000;
      if (result.code === ExportResultCode.SUCCESS) this.counters.spansExported += spans.length;
      else this.counters.spansExportFailed += spans.length;
      done(result);
    });
  }
  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

/** Counts spans as they start and end; first in the processor list. */
export class CountingProcessor implements SpanProcessor {
  private readonly counters: TracingCounters;
  constructor(counters: TracingCounters) {
    this.counters = counters;
  }
  onStart(): void {
    this.counters.spansStarted++;
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

export function langfuseKeys(env: NodeJS.ProcessEnv = process.env): LangfuseKeys {
  const publicKey = env.LANGFUSE_PUBLIC_KEY;
  const secretKey = env.LANGFUSE_SECRET_KEY;
  if (!publicKey || !secretKey) throw new Error('LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY must be set in langfuse tracing mode');
  return { publicKey, secretKey };
}

/** The exporter for the mode: JSON to Langfuse, or protobuf to a collector. */
function createExporter(settings: TargetSettings, endpoint: string, keys?: LangfuseKeys): SpanExporter {
  const timeoutMillis = settings.sdk.exportTimeoutMs;
  if (settings.tracing === 'langfuse') {
    if (!keys) throw new Error('langfuse mode needs keys');
    // Same exporter class, URL, auth and timeout as LangfuseSpanProcessor builds by default;
    // built here only so its calls can be counted.
    return new OtlpHttpJsonExporter({
      url: `${endpoint}/api/public/otel/v1/traces`,
      headers: {
        Authorization: `Basic ${Buffer.from(`${keys.publicKey}:${keys.secretKey}`).toString('base64')}`,
        'x-langfuse-sdk-name': 'javascript',
        'x-langfuse-public-key': keys.publicKey,
      },
      timeoutMillis,
    });
  }
  // The collector adds auth and the ingestion-version header on its way to Langfuse.
  return new OtlpProtoExporter({ url: endpoint, timeoutMillis });
}

/**
 * A new LangfuseSpanProcessor (with its own exporter and connection). Every traced mode uses
 * the Langfuse SDK's processor — it applies propagated user/session attributes, masking and
 * media handling — and differs only in where its exporter sends.
 */
export function createSpanProcessor(settings: TargetSettings, counters: TracingCounters, keys?: LangfuseKeys): SpanProcessor {
  const { sdk, endpoint } = settings;
  if (!endpoint) throw new Error(`tracing mode ${settings.tracing} needs an endpoint`);
  const exporter = new CountingExporter(createExporter(settings, endpoint, keys), counters);
  const processor = new LangfuseSpanProcessor({
    publicKey: keys?.publicKey ?? 'collector-adds-auth',
    secretKey: keys?.secretKey ?? 'collector-adds-auth',
    baseUrl: settings.tracing === 'langfuse' ? endpoint : undefined,
    exporter,
    flushAt: sdk.batchSize,
    flushInterval: sdk.flushIntervalMs / 1000,
    exportMode: sdk.exportMode,
    timeout: sdk.exportTimeoutMs / 1000,
    // v5 exports only LLM-ish spans by default; the workload's spans are all wanted.
    shouldExportSpan: () => true,
  });
  if (sdk.exportMode === 'batched') applyQueueSize(processor, exporter, sdk);
  return processor;
}

/**
 * LangfuseSpanProcessor has no queue-size option (its BatchSpanProcessor keeps the default
 * 2048). The spec's sdk.queueSize is applied by replacing that inner processor with one built
 * from the same settings; if a future SDK moves the field, say so instead of pretending.
 */
function applyQueueSize(processor: LangfuseSpanProcessor, exporter: SpanExporter, sdk: TargetSettings['sdk']): void {
  const holder = processor as unknown as { processor?: unknown };
  if (!(holder.processor instanceof BatchSpanProcessor)) {
    process.stderr.write('target-node: LangfuseSpanProcessor internals changed; sdk.queueSize is NOT applied (SDK default 2048)\n');
    return;
  }
  holder.processor = new BatchSpanProcessor(exporter, {
    maxExportBatchSize: sdk.batchSize,
    scheduledDelayMillis: sdk.flushIntervalMs,
    maxQueueSize: sdk.queueSize,
    exportTimeoutMillis: sdk.exportTimeoutMs,
  });
}
