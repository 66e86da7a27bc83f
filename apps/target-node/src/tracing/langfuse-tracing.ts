// Tracing on: the Langfuse tracing API over an OpenTelemetry tracer provider. Loaded only
// (dynamic import) when the mode is langfuse or otlp, so the baseline loads none of it.
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Context } from '@opentelemetry/api';
import { LANGFUSE_SDK_VERSION } from '@langfuse/core';
import { observe, propagateAttributes, startActiveObservation, startObservation, updateActiveObservation } from '@langfuse/tracing';
import type { TargetSettings } from '../../../../contracts/target-app.ts';
import { CountingProcessor, countQueueDrops } from './counting.ts';
import { createSpanProcessor, langfuseKeys } from './export-pipeline.ts';
import { startProvider } from './provider.ts';
import { epochMs } from '../timeline.ts';
import { emptyCounters, type GenerationResult, type Scope, type StepSpec, type Tracing, type TracingObserver } from './types.ts';

/** The part of a Langfuse observation every style uses (the SDK types it per observation kind). */
interface LangfuseObservation {
  update(attributes: object): unknown;
  end(): void;
  startObservation(name: string, attributes: object, options: object): LangfuseObservation;
}

const generationAttributes = (g: GenerationResult) => ({
  model: g.model,
  usageDetails: { input: g.usage.input, output: g.usage.output, total: g.usage.total },
  costDetails: { input: g.costUsd.input, output: g.costUsd.output, total: g.costUsd.total },
});

type Step = <T>(
  parent: LangfuseObservation | undefined,
  spec: StepSpec,
  fn: (scope: Scope) => Promise<T>,
  generation?: (r: T) => GenerationResult,
) => Promise<T>;

/** The instrumentation styles a spec can compare (spec instrumentation.style); `capture` toggles input/output capture. Style auto is observe plus HTTP auto-instrumentation (provider.ts). */
function styles(capture: boolean): Record<TargetSettings['instrumentation']['style'], Step> {
  const scope = (step: Step, parent?: LangfuseObservation): Scope => ({ step: (spec, fn, gen) => step(parent, spec, fn, gen) });
  const io = (input: unknown) => (capture ? { input } : {});

  const viaObserve: Step = (_parent, spec, fn, generation) => {
    const wrapped = observe(
      async (_input: unknown) => {
        const result = await fn(scope(viaObserve));
        if (generation) updateActiveObservation(generationAttributes(generation(result)), { asType: 'generation' });
        return result;
      },
      { name: spec.name, asType: spec.type, captureInput: capture, captureOutput: capture },
    );
    return wrapped(spec.input);
  };

  const viaActive: Step = (_parent, spec, fn, generation) =>
    (startActiveObservation as <R>(n: string, f: (o: LangfuseObservation) => Promise<R>, o: object) => Promise<R>)(
      spec.name,
      async (observation) => {
        observation.update(io(spec.input));
        const result = await fn(scope(viaActive));
        observation.update({ ...(capture ? { output: result } : {}), ...(generation ? generationAttributes(generation(result)) : {}) } as object);
        return result;
      },
      { asType: spec.type },
    );

  const viaManual: Step = async (parent, spec, fn, generation) => {
    const start = (parent ? parent.startObservation.bind(parent) : startObservation) as (n: string, a: object, o: object) => LangfuseObservation;
    const observation = start(spec.name, io(spec.input), { asType: spec.type });
    try {
      const result = await fn(scope(viaManual, observation));
      observation.update({ ...(capture ? { output: result } : {}), ...(generation ? generationAttributes(generation(result)) : {}) } as object);
      return result;
    } finally {
      observation.end();
    }
  };

  return { observe: viaObserve, active: viaActive, manual: viaManual, auto: viaObserve };
}

/**
 * Anti-pattern "client per request": every trace gets a span processor and exporter of its
 * own, created when its first span starts and shut down (not awaited) when its root ends.
 */
class ProcessorPerTrace implements SpanProcessor {
  private readonly live = new Map<string, SpanProcessor>();
  private readonly create: () => SpanProcessor;
  constructor(create: () => SpanProcessor) {
    this.create = create;
  }
  onStart(span: Span, parentContext: Context): void {
    const id = span.spanContext().traceId;
    let processor = this.live.get(id);
    if (!processor) {
      processor = this.create();
      this.live.set(id, processor);
    }
    processor.onStart(span, parentContext);
  }
  onEnd(span: ReadableSpan): void {
    const id = span.spanContext().traceId;
    const processor = this.live.get(id);
    processor?.onEnd(span);
    if (processor && !span.parentSpanContext) {
      this.live.delete(id);
      void processor.shutdown();
    }
  }
  async forceFlush(): Promise<void> {
    await Promise.all([...this.live.values()].map((p) => p.forceFlush()));
  }
  async shutdown(): Promise<void> {
    await Promise.all([...this.live.values()].map((p) => p.shutdown()));
  }
}

export function langfuseTracing(settings: TargetSettings, observer: TracingObserver): Tracing {
  const counters = emptyCounters();
  countQueueDrops(counters);
  const keys = settings.tracing === 'langfuse' ? langfuseKeys() : undefined;
  const newProcessor = () => createSpanProcessor(settings, counters, observer, keys);
  let slot: string | undefined;
  const { antiPattern, style, captureIO } = settings.instrumentation;

  const provider = startProvider(settings, [
    new CountingProcessor(counters, () => slot),
    antiPattern === 'client-per-request' ? new ProcessorPerTrace(newProcessor) : newProcessor(),
  ]);
  const step = styles(captureIO)[style];
  const flush = async () => {
    const startMs = epochMs();
    await provider.forceFlush();
    observer.flush(startMs, epochMs());
  };

  return {
    sdk: `@langfuse/otel ${LANGFUSE_SDK_VERSION} (${settings.sdk.setup === 'documented' ? 'NodeSDK' : 'hand-built BasicTracerProvider'})`,
    async request(root, identity, fn) {
      const result = await propagateAttributes({ userId: identity.userId, sessionId: identity.sessionId }, () => step(undefined, root, fn));
      if (antiPattern === 'flush-per-request') await flush();
      return result;
    },
    counters: () => counters,
    flush,
    shutdown: () => provider.shutdown(),
    setSlot: (label) => {
      slot = label;
    },
  };
}
