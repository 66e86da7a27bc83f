// Where spans are recorded: the tracer provider, set up one of two ways (sdk.setup).
//   documented: as the Langfuse JS docs tell users — `new NodeSDK({ spanProcessors: [...] })`
//               then `sdk.start()`. NodeSDK also does what users get with it: resource
//               detection (env, process, host), the AsyncLocalStorage context manager, W3C
//               propagators, and — with no OTEL_METRICS_EXPORTER / OTEL_LOGS_EXPORTER set —
//               its default OTLP metrics reader and logs provider (to localhost:4318).
//   hand-built: a BasicTracerProvider with exactly our processors, nothing else; kept so the
//               lead can measure whether NodeSDK costs anything more.
// Both register the same processors, sampler and resource; style auto adds the HTTP
// server/client instrumentation to either.
import { createRequire } from 'node:module';
import { context, type ProxyTracerProvider, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BasicTracerProvider, ParentBasedSampler, type SpanProcessor, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base';
import { setLangfuseTracerProvider } from '@langfuse/tracing';
import { APP_PATHS } from '../../../../contracts/app-metrics.ts';
import type { TargetSettings } from '../../../../contracts/target-app.ts';

export interface ProviderHandle {
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** HTTP server and client spans (style auto); the lab's own endpoints stay untraced, as probes do. */
function httpInstrumentation(): HttpInstrumentation {
  return new HttpInstrumentation({ ignoreIncomingRequestHook: (request) => request.url?.split('?')[0] !== APP_PATHS.chat });
}

export function startProvider(settings: TargetSettings, spanProcessors: SpanProcessor[]): ProviderHandle {
  const resource = resourceFromAttributes({ 'service.name': 'tracelab-target-node', 'tracelab.topology': settings.topology });
  const sampler = new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(settings.sdk.samplingRatio) });
  const auto = settings.instrumentation.style === 'auto';
  let handle: ProviderHandle;
  if (settings.sdk.setup === 'documented') {
    const sdk = new NodeSDK({ resource, sampler, spanProcessors, instrumentations: auto ? [httpInstrumentation()] : [] });
    sdk.start();
    const provider = (trace.getTracerProvider() as ProxyTracerProvider).getDelegate() as unknown as ProviderHandle;
    handle = { forceFlush: () => provider.forceFlush(), shutdown: () => sdk.shutdown() };
  } else {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    const provider = new BasicTracerProvider({ resource, sampler, spanProcessors });
    setLangfuseTracerProvider(provider);
    if (auto) registerInstrumentations({ tracerProvider: provider, instrumentations: [httpInstrumentation()] });
    handle = provider;
  }
  // Instrumentations patch a module when it is required after they are enabled; the server
  // imported node:http before tracing started, so require it once more to let them patch it.
  if (auto) createRequire(import.meta.url)('node:http');
  return handle;
}
