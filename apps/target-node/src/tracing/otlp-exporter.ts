// The OTLP exporter a traced topology uses, described as plain data so the event loop and
// the export worker build exactly the same one (same class, URL, headers, timeout).
//   langfuse: OTLP/HTTP JSON with the headers LangfuseSpanProcessor's default exporter sends
//   otlp:     OTLP/HTTP protobuf to a collector, which adds auth on its way to Langfuse
import { LANGFUSE_SDK_VERSION } from '@langfuse/core';
import { OTLPTraceExporter as OtlpHttpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';

export interface LangfuseKeys {
  readonly publicKey: string;
  readonly secretKey: string;
}

export interface ExporterConfig {
  readonly protocol: 'http/json' | 'http/protobuf';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMillis: number;
}

/**
 * The headers LangfuseSpanProcessor's own default exporter sends (@langfuse/otel): Langfuse's
 * server picks its write path by x-langfuse-sdk-version, so they must match exactly.
 */
export function langfuseHeaders(keys: LangfuseKeys): Record<string, string> {
  return {
    Authorization: `Basic ${Buffer.from(`${keys.publicKey}:${keys.secretKey}`).toString('base64')}`,
    'x-langfuse-sdk-name': 'javascript',
    'x-langfuse-sdk-version': LANGFUSE_SDK_VERSION,
    'x-langfuse-public-key': keys.publicKey,
  };
}

export function langfuseExporterConfig(baseUrl: string, keys: LangfuseKeys, timeoutMillis: number): ExporterConfig {
  return { protocol: 'http/json', url: `${baseUrl}/api/public/otel/v1/traces`, headers: langfuseHeaders(keys), timeoutMillis };
}

export function collectorExporterConfig(tracesUrl: string, timeoutMillis: number): ExporterConfig {
  return { protocol: 'http/protobuf', url: tracesUrl, headers: {}, timeoutMillis };
}

export function buildOtlpExporter(config: ExporterConfig): SpanExporter {
  const options = { url: config.url, headers: { ...config.headers }, timeoutMillis: config.timeoutMillis };
  return config.protocol === 'http/json' ? new OtlpHttpJsonExporter(options) : new OtlpProtoExporter(options);
}
