// Building the TraceLab status: conditions keep their lastTransitionTime while their status
// stays the same, so writing the same state twice changes nothing (the second reconcile of a
// Ready stack writes no status at all).
import type { Stage } from '../../contracts/cluster-resource.ts';
import type { ComponentStatus, Condition, ConditionType, Phase, TraceLabStatus } from '../../contracts/status.ts';

export interface Outcome {
  readonly phase: Phase;
  /** The stage being waited for (Progressing), if any. */
  readonly stage?: Stage;
  readonly stageSince?: string;
  readonly components: readonly ComponentStatus[];
  /** CamelCase reason and a message that says what to do. */
  readonly reason: string;
  readonly message: string;
  readonly url?: string;
}

export function nextStatus(previous: TraceLabStatus | undefined, generation: number, outcome: Outcome, now: Date): TraceLabStatus {
  const at = now.toISOString();
  const old = previous?.conditions ?? [];
  const condition = (type: ConditionType, on: boolean, reason: string, message: string): Condition => {
    const status = on ? 'True' : 'False';
    const prior = old.find((c) => c.type === type);
    const lastTransitionTime = prior && prior.status === status ? prior.lastTransitionTime : at;
    return { type, status, reason, message, lastTransitionTime, observedGeneration: generation };
  };
  const { phase, reason, message } = outcome;
  const conditions = [
    condition('Ready', phase === 'Ready', phase === 'Ready' ? 'AllStagesReady' : reason, phase === 'Ready' ? 'every component is ready' : message),
    condition(
      'Progressing',
      phase === 'Progressing' || phase === 'Deleting',
      phase === 'Ready' ? 'AllStagesReady' : reason,
      phase === 'Ready' ? 'nothing left to do' : message,
    ),
    condition('Degraded', phase === 'Degraded', phase === 'Degraded' ? reason : 'AsExpected', phase === 'Degraded' ? message : 'no problem found'),
  ];
  const status: TraceLabStatus = { observedGeneration: generation, phase, conditions, components: [...outcome.components] };
  if (outcome.stage) {
    status.stage = outcome.stage;
    status.stageSince = outcome.stageSince ?? at;
  }
  if (outcome.url) status.url = outcome.url;
  return status;
}

/** Same content, ignoring key order (the API server returns fields in its own order). */
export function sameStatus(a: TraceLabStatus | undefined, b: TraceLabStatus): boolean {
  return canonical(a ?? {}) === canonical(b);
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => x.localeCompare(y))) : v,
  );
}
