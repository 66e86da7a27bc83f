// The CLI's side of reconciling: run the one reconcile function until the TraceLab is Ready,
// saying which stage it waits for, and stop at the first problem a person has to fix — with
// the reconciler's own words (failing pod, events, log lines), never a bare timeout.
import type { TraceLabStatus } from '../../contracts/status.ts';
import { STAGES } from '../../contracts/cluster-resource.ts';
import { STAGE_TIMEOUT_MS, reconcile, type ReconcileOptions, type TraceLabRef } from './reconcile.ts';
import { deleteOwned } from './inventory.ts';
import { KubeError, type Kube } from './kube.ts';
import { API_VERSION, KIND } from '../../contracts/spec/schema.ts';

export interface RunOptions extends ReconcileOptions {
  /**
   * Upper bound for the whole run. @default every stage's timeout plus 5 minutes, so a stage
   * that hangs is always reported by its own timeout, with its pods and events, first.
   */
  readonly timeoutMs?: number;
  readonly progress: (line: string) => void;
}

export async function reconcileUntilReady(kube: Kube, ref: TraceLabRef, options: RunOptions): Promise<TraceLabStatus> {
  const timeoutMs = options.timeoutMs ?? STAGES.reduce((sum, s) => sum + (options.stageTimeoutMs ?? ((x) => STAGE_TIMEOUT_MS[x]))(s), 5 * 60_000);
  const deadline = Date.now() + timeoutMs;
  let said = '';
  let lastBeat = Date.now();
  // Every pass applies again, and the API server repeats its warnings (Pod Security, say): once is enough.
  const seen = new Set<string>();
  const log = (line: string) => {
    if (seen.has(line)) return;
    seen.add(line);
    options.progress(line);
  };
  for (;;) {
    let result: Awaited<ReturnType<typeof reconcile>>;
    try {
      result = await reconcile(kube, ref, { ...options, log });
    } catch (error) {
      // Someone else (the operator) wrote in between: look again.
      if (error instanceof KubeError && error.status === 409 && Date.now() < deadline) continue;
      throw error;
    }
    const status = result.status;
    if (result.gone || !status) throw new Error(`TraceLab ${ref.namespace}/${ref.name} disappeared while tracelab up was waiting for it`);
    const ready = status.conditions?.find((c) => c.type === 'Ready');
    if (status.phase === 'Ready') return status;
    const degraded = status.conditions?.find((c) => c.type === 'Degraded' && c.status === 'True');
    if (degraded) throw new Error(`${degraded.reason}: ${degraded.message}`);
    const line = ready?.message ?? status.phase ?? 'reconciling';
    if (line !== said || Date.now() - lastBeat > 15_000) {
      options.progress(line);
      said = line;
      lastBeat = Date.now();
    }
    if (Date.now() > deadline) throw new Error(`not Ready within ${Math.round(timeoutMs / 1000)}s; last state: ${line}`);
    await new Promise((r) => setTimeout(r, Math.min(result.requeueAfterMs ?? 2_000, 5_000)));
  }
}

/**
 * Deletes the TraceLab and runs its cleanup (the finalizer) until nothing it made is left.
 * Works with or without an operator running: whoever gets there first does the work.
 */
export async function deleteUntilGone(kube: Kube, ref: TraceLabRef, options: { timeoutMs?: number; progress: (line: string) => void }): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 5 * 60_000);
  await kube.delete(API_VERSION, KIND, ref.namespace, ref.name);
  let said = '';
  for (;;) {
    const result = await reconcile(kube, ref).catch((error) => {
      if (error instanceof KubeError && error.status === 409) return { gone: false, status: undefined };
      throw error;
    });
    // Also what a TraceLab that never held the finalizer (or lost it) left behind.
    const left = result.gone ? await deleteOwned(kube, ref.namespace, ref.name) : [];
    if (result.gone && left.length === 0) return;
    const line = result.status?.conditions?.find((c) => c.type === 'Progressing')?.message ?? `waiting for ${left.join(', ')}`;
    if (line !== said) options.progress(line);
    said = line;
    if (Date.now() > deadline)
      throw new Error(`cleanup of ${ref.namespace}/${ref.name} not finished after ${Math.round((options.timeoutMs ?? 0) / 1000)}s: ${line}`);
    await new Promise((r) => setTimeout(r, 1_000));
  }
}
