// The field report's experiments as named sweeps (`tracelab sweep --preset NAME`). Each
// states the hypothesis it tests, the knobs it varies and the load it runs them at: rates and
// durations chosen so every point gets a Δp50 and (where the rate allows ≥ 1000 requests per
// point over the rounds) a Δp99 interval, in about a quarter of an hour on the default spec.
// The spec's own topologies are kept, filtered to the kinds a preset needs: in the local lab
// collector, sidecar and agent differ only in which collector process the app sends to, so
// the gateway stands for all three.
import type { TopologyKind } from '../../contracts/spec/schema.ts';
import type { SweepValue } from '../../contracts/spec/sweep-paths.ts';
import type { ConstantOverheadClaim } from '../load/sweep-record.ts';

export interface SweepPreset {
  readonly name: string;
  readonly summary: string;
  readonly hypothesis: string;
  readonly knobs: ReadonlyArray<{ readonly path: string; readonly values: readonly SweepValue[] }>;
  /** Topology kinds kept from the spec (its baselines always are). */
  readonly kinds: readonly TopologyKind[];
  /** Load settings the preset runs at (over the spec's). */
  readonly load: { rate: number; duration: string; warmup: string; rounds: number; preAllocatedVUs?: number; maxVUs?: number };
  /** SDK settings every traced topology runs with in this preset (over its own). */
  readonly sdk?: { batchSize?: number };
  readonly claim?: ConstantOverheadClaim;
}

const KiB = 1024;
const STANDARD = { rate: 50, duration: '20s', warmup: '5s', rounds: 3 };
const EXPORTS: TopologyKind[] = ['baseline', 'inprocess', 'collector'];

export const SWEEP_PRESETS: readonly SweepPreset[] = [
  {
    name: 'exec-time',
    summary: 'LLM latency 100 ms, 1 s, 5 s: is the overhead a constant?',
    hypothesis:
      'The field report: tracing adds a constant ~2–3 ms per request, whatever the LLM call takes (100 ms, 1 s, 5 s). If so, the overhead does not change between the values, and lies within 2–3 ms.',
    knobs: [{ path: 'app.workload.llmLatency', values: ['100ms', '1s', '5s'] }],
    kinds: EXPORTS,
    // 5 s per request at 20 req/s keeps ~100 requests in flight: enough k6 users for it.
    load: { rate: 20, duration: '20s', warmup: '6s', rounds: 3, preAllocatedVUs: 150, maxVUs: 300 },
    claim: { kind: 'constant-overhead', lowMs: 2, highMs: 3, toleranceMs: 1 },
  },
  {
    name: 'capture-size',
    summary: 'payload 0 B … 1 MiB captured as input/output, capture on and off',
    hypothesis:
      'Capturing large inputs and outputs costs the request: they are serialised on the request path (JSON when set, OTLP encoding at export), so the overhead grows with the payload when capture is on and stays flat when it is off.',
    knobs: [
      { path: 'app.workload.payloadBytes', values: [0, KiB, 64 * KiB, 1024 * KiB] },
      { path: 'topologies[*].instrumentation.captureIO', values: [true, false] },
    ],
    kinds: ['baseline', 'inprocess'],
    // ~3 MiB captured per request at 1 MiB: a low rate, and batches of 16 spans (≤ ~24 MiB per
    // export) so every export stays within the backend's request size (ingest-sink: 64 MiB),
    // at every value alike.
    load: { rate: 10, duration: '20s', warmup: '5s', rounds: 3 },
    sdk: { batchSize: 16 },
  },
  {
    name: 'nesting',
    summary: 'spans per request 4, 16, 64 at nesting depth 2 and 4',
    hypothesis:
      'Bigger traces cost more: every span is a context switch, its attributes and its share of the export, so the overhead grows about in proportion to the spans per request; depth adds little beyond the span count.',
    knobs: [
      { path: 'app.workload.spansPerRequest', values: [4, 16, 64] },
      { path: 'app.workload.nestingDepth', values: [2, 4] },
    ],
    kinds: ['baseline', 'inprocess'],
    load: { ...STANDARD, duration: '15s' },
  },
  {
    name: 'client-per-request',
    summary: 'a Langfuse client created per request vs once',
    hypothesis:
      'Creating the client (span processor, exporter) for every request — a pattern seen in the field — costs far more than tracing itself: setup on every request and many small exports.',
    knobs: [{ path: 'topologies[*].instrumentation.antiPattern', values: ['none', 'client-per-request'] }],
    kinds: EXPORTS,
    load: STANDARD,
  },
  {
    name: 'flush-per-request',
    summary: 'a flush at the end of every request vs batching',
    hypothesis:
      'Flushing at the end of every request (a serverless habit) puts an export round trip on the request path: the overhead rises by about one export round trip at every percentile.',
    knobs: [{ path: 'topologies[*].instrumentation.antiPattern', values: ['none', 'flush-per-request'] }],
    kinds: EXPORTS,
    load: STANDARD,
  },
  {
    name: 'batch-size',
    summary: 'SDK batch size 8, 64, 512, 2048 spans',
    hypothesis:
      'Small batches mean many exports with a fixed cost each; large batches mean rare but long serialisation stalls on the event loop that reach the tail: Δp50 falls and Δp99 may rise as the batch grows.',
    knobs: [{ path: 'topologies[*].sdk.batchSize', values: [8, 64, 512, 2048] }],
    kinds: EXPORTS,
    load: STANDARD,
  },
  {
    name: 'sampling',
    summary: 'sampling ratio 0, 0.1, 0.5, 1',
    hypothesis: 'Sampling lowers the cost about in proportion to the spans it drops; what remains at ratio 0 is the cost of the SDK being loaded and deciding.',
    knobs: [{ path: 'topologies[*].sdk.samplingRatio', values: [0, 0.1, 0.5, 1] }],
    kinds: EXPORTS,
    load: STANDARD,
  },
];

export function presetNamed(name: string): SweepPreset {
  const preset = SWEEP_PRESETS.find((p) => p.name === name);
  if (!preset) throw new Error(`no sweep preset "${name}"; presets: ${SWEEP_PRESETS.map((p) => p.name).join(', ')} (tracelab sweep --list-presets)`);
  return preset;
}
