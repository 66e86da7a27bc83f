// The TraceLab status subresource: what the reconciler writes and `tracelab status` reads.
// One zod schema gives the type and the CRD's status schema.
import { z } from 'zod';
import { STAGES } from './cluster-resource.ts';

export const PHASES = ['Pending', 'Progressing', 'Ready', 'Degraded', 'Deleting'] as const;
export type Phase = (typeof PHASES)[number];

export const CONDITION_TYPES = ['Ready', 'Progressing', 'Degraded'] as const;
export type ConditionType = (typeof CONDITION_TYPES)[number];

export const condition = z.strictObject({
  type: z.enum(CONDITION_TYPES),
  status: z.enum(['True', 'False', 'Unknown']),
  /** CamelCase, machine-readable, e.g. WaitingForDatastores, StageTimeout, InvalidSpec. */
  reason: z.string().min(1),
  message: z.string(),
  lastTransitionTime: z.string().describe('RFC 3339 time of the last change of status'),
  observedGeneration: z.int().min(0).optional(),
});
export type Condition = z.infer<typeof condition>;

export const componentStatus = z.strictObject({
  /** e.g. StatefulSet/postgres */
  name: z.string(),
  stage: z.enum(STAGES),
  ready: z.boolean(),
  /** "ready/desired" replicas (pods), or "suspended" / "complete" for Jobs. */
  replicas: z.string(),
  message: z.string().optional(),
});
export type ComponentStatus = z.infer<typeof componentStatus>;

export const traceLabStatus = z.strictObject({
  observedGeneration: z.int().min(0).optional(),
  phase: z.enum(PHASES).optional(),
  /** The stage being waited for; absent when Ready. */
  stage: z.enum(STAGES).optional(),
  /** When that stage started waiting (its timeout counts from here). */
  stageSince: z.string().optional(),
  conditions: z.array(condition).optional(),
  components: z.array(componentStatus).optional(),
  /** Where the Langfuse UI answers, as the spec sets it (NEXTAUTH_URL). */
  url: z.string().optional(),
});
export type TraceLabStatus = z.infer<typeof traceLabStatus>;
