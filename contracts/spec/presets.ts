// Fault-run presets (`tracelab lab --preset <name>`), as data: each replaces the spec's
// faults and topologies and sets the load's timing, leaving everything else of the spec as
// written. Every preset runs each collector topology twice — with the collector's persistent
// queue off and on (the "-pq" twin) — so one run says what the queue on disk buys.
import type { TraceLabInput } from './schema.ts';

type SpecInput = NonNullable<TraceLabInput['spec']>;

const pq = { persistentQueue: { enabled: true } };
export const FAULT_RUN_TOPOLOGIES: NonNullable<SpecInput['topologies']> = [
  { topology: 'baseline' },
  { topology: 'inprocess' },
  { topology: 'collector' },
  { topology: 'collector', name: 'collector-pq', collector: pq },
  { topology: 'sidecar' },
  { topology: 'sidecar', name: 'sidecar-pq', collector: pq },
  { topology: 'agent' },
  { topology: 'agent', name: 'agent-pq', collector: pq },
];

export interface Preset {
  readonly summary: string;
  readonly spec: Pick<SpecInput, 'faults' | 'topologies'> & { load: Pick<NonNullable<SpecInput['load']>, 'duration' | 'warmup' | 'rounds'> };
}

export const PRESETS = {
  outage: {
    summary: 'Langfuse down for 60 s (every export answered 503), 10 s into a 100 s measured phase',
    spec: {
      faults: [{ kind: 'backend-outage', at: '10s', duration: '60s' }],
      topologies: FAULT_RUN_TOPOLOGIES,
      load: { duration: '100s', warmup: '5s', rounds: 1 },
    },
  },
  'slow-backend': {
    summary: 'Langfuse answers 2 s ± 0.5 s late for 30 s, 10 s into a 60 s measured phase',
    spec: {
      faults: [{ kind: 'backend-slow', at: '10s', duration: '30s', latency: '2s', jitter: '500ms' }],
      topologies: FAULT_RUN_TOPOLOGIES,
      load: { duration: '60s', warmup: '5s', rounds: 1 },
    },
  },
  'collector-crash': {
    summary: "the slot's collector (gateway, agent or sidecar) SIGKILLed 10 s into a 40 s measured phase, started again 10 s later",
    spec: {
      faults: [{ kind: 'collector-crash', at: '10s', duration: '10s' }],
      topologies: FAULT_RUN_TOPOLOGIES,
      load: { duration: '40s', warmup: '5s', rounds: 1 },
    },
  },
  'outage-crash': {
    summary: "Langfuse down for 60 s and, 30 s into it, the slot's collector SIGKILLed for 10 s: what its queue held survives only on disk",
    spec: {
      faults: [
        { kind: 'backend-outage', at: '10s', duration: '60s' },
        { kind: 'collector-crash', at: '40s', duration: '10s' },
      ],
      topologies: FAULT_RUN_TOPOLOGIES,
      load: { duration: '100s', warmup: '5s', rounds: 1 },
    },
  },
} as const satisfies Record<string, Preset>;

export type PresetName = keyof typeof PRESETS;
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

export function isPresetName(name: string): name is PresetName {
  return Object.hasOwn(PRESETS, name);
}

/** The raw document with the preset laid over its spec (before the profile and validation). */
export function applyPreset(raw: unknown, name: PresetName): unknown {
  const preset: Preset = PRESETS[name];
  const doc = (raw && typeof raw === 'object' ? raw : {}) as { spec?: Record<string, unknown> };
  const spec = doc.spec && typeof doc.spec === 'object' ? doc.spec : {};
  const load = spec.load && typeof spec.load === 'object' ? spec.load : {};
  return { ...doc, spec: { ...spec, faults: preset.spec.faults, topologies: preset.spec.topologies, load: { ...load, ...preset.spec.load } } };
}
