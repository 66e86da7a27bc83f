// Tracing off: the baseline. Loads no OpenTelemetry or Langfuse module at all.
import { emptyCounters, type Scope, type Tracing } from './types.ts';

const passThrough: Scope = { step: (_spec, fn) => fn(passThrough) };

export function noTracing(): Tracing {
  const counters = emptyCounters();
  return {
    sdk: 'none',
    request: (_root, _identity, fn) => fn(passThrough),
    counters: () => counters,
    flush: async () => {},
    shutdown: async () => {},
    setSlot: () => {},
  };
}
