// How spans leave the process. The instrumentation (Langfuse tracing API) and the span
// processor (LangfuseSpanProcessor) are the same in every traced mode; only the exporter
// differs (otlp-exporter.ts), and where it encodes: on the event loop (the SDK default) or
// in a worker thread (sdk.serializeIn: worker). Every exporter is wrapped to be counted.
import { LangfuseSpanProcessor } from '@langfuse/otel';
import { BatchSpanProcessor, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { TargetSettings } from '../../../../contracts/target-app.ts';
import { CountingExporter } from './counting.ts';
import { buildOtlpExporter, collectorExporterConfig, type ExporterConfig, type LangfuseKeys, langfuseExporterConfig } from './otlp-exporter.ts';
import type { TracingCounters, TracingObserver } from './types.ts';
import { WorkerSpanExporter } from './worker-exporter.ts';

export type { LangfuseKeys } from './otlp-exporter.ts';

export function langfuseKeys(env: NodeJS.ProcessEnv = process.env): LangfuseKeys {
  const publicKey = env.LANGFUSE_PUBLIC_KEY;
  const secretKey = env.LANGFUSE_SECRET_KEY;
  if (!publicKey || !secretKey) throw new Error('LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY must be set in langfuse tracing mode');
  return { publicKey, secretKey };
}

/** The exporter the settings describe: langfuse mode sends JSON to Langfuse, otlp mode protobuf to a collector. */
export function exporterConfig(settings: TargetSettings, keys?: LangfuseKeys): ExporterConfig {
  const { endpoint, sdk } = settings;
  if (!endpoint) throw new Error(`tracing mode ${settings.tracing} needs an endpoint`);
  if (settings.tracing === 'langfuse') {
    if (!keys) throw new Error('langfuse mode needs keys');
    return langfuseExporterConfig(endpoint, keys, sdk.exportTimeoutMs);
  }
  return collectorExporterConfig(endpoint, sdk.exportTimeoutMs);
}

/**
 * A new LangfuseSpanProcessor (with its own exporter and connection). Every traced mode uses
 * the Langfuse SDK's processor — it applies propagated user/session attributes, masking and
 * media handling — and differs only in where its exporter sends.
 */
export function createSpanProcessor(settings: TargetSettings, counters: TracingCounters, observer: TracingObserver, keys?: LangfuseKeys): SpanProcessor {
  const { sdk } = settings;
  const config = exporterConfig(settings, keys);
  const inner = sdk.serializeIn === 'worker' ? new WorkerSpanExporter(config) : buildOtlpExporter(config);
  const exporter = new CountingExporter(inner, counters, observer);
  const processor = new LangfuseSpanProcessor({
    publicKey: keys?.publicKey ?? 'collector-adds-auth',
    secretKey: keys?.secretKey ?? 'collector-adds-auth',
    baseUrl: settings.tracing === 'langfuse' ? settings.endpoint : undefined,
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
