// Faults of a fault run (spec.faults): what goes wrong, when and for how long. Each fault is
// applied identically in every topology's slot — `at` counts from the start of the measured
// phase — and recorded in the raw record, so the report can set what each topology lost and
// paid against the same trouble.
import { z } from 'zod';
import { duration } from './fields.ts';

export const FAULT_KINDS = ['backend-outage', 'backend-slow', 'backend-errors', 'collector-crash', 'app-restart'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

const at = duration.describe('when it starts, counted from the start of the measured phase (e.g. "10s")');
const lasting = duration.describe('how long it lasts (e.g. "60s")');

const backendOutage = z.strictObject({
  kind: z.literal('backend-outage'),
  at,
  duration: lasting,
  response: z
    .enum(['503', 'refuse'])
    .default('503')
    .describe('503: a load balancer answers for a dead Langfuse; refuse: nothing listens, connections are refused'),
});

const backendSlow = z.strictObject({
  kind: z.literal('backend-slow'),
  at,
  duration: lasting,
  latency: duration.default('2s').describe('added before the backend answers'),
  jitter: duration.default('500ms').describe('± this much, uniformly'),
});

const backendErrors = z.strictObject({
  kind: z.literal('backend-errors'),
  at,
  duration: lasting,
  ratio: z.number().min(0).max(1).default(0.5).describe('share of export requests answered with `status`'),
  status: z
    .union([z.literal(429), z.literal(500), z.literal(503)])
    .default(503)
    .describe('429 and 503 are retried by OTLP exporters; 500 (what Langfuse answers a storage failure) is not'),
});

const collectorCrash = z.strictObject({
  kind: z.literal('collector-crash'),
  at,
  duration: lasting.describe('how long the collector stays down before it is started again (same ports, same config)'),
});

const appRestart = z.strictObject({
  kind: z.literal('app-restart'),
  at,
  duration: duration.default('0s').describe('how long the app stays down after it has exited, before it starts again'),
});

export const fault = z.discriminatedUnion('kind', [backendOutage, backendSlow, backendErrors, collectorCrash, appRestart]);
export type Fault = z.output<typeof fault>;

export const faults = z
  .array(fault)
  .max(20)
  .default([])
  .describe(
    "fault run: each fault hits every topology's slot at the same offset into its measured phase. backend-*: the backend misbehaves; collector-crash: SIGKILL of the collector the slot exports to (gateway, agent or its sidecar), started again after `duration`; app-restart: SIGTERM to the app under load, started again after `duration`",
  );

/** The backend faults: the backend has one fault setting at a time, so these must not overlap. */
export const BACKEND_FAULTS: readonly FaultKind[] = ['backend-outage', 'backend-slow', 'backend-errors'];
