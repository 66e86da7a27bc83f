// `tracelab down`: the TraceLab's own cleanup (the finalizer's work), then the namespace when
// `tracelab up` created it. Bounded: it reports what is left instead of waiting forever.
import { MANAGED_BY, OWNER_LABEL } from '../../contracts/cluster-resource.ts';
import type { Kube } from './kube.ts';
import type { TraceLabRef } from './reconcile.ts';
import { deleteUntilGone } from './run.ts';

export async function tearDown(kube: Kube, ref: TraceLabRef, options: { timeoutMs?: number; progress: (line: string) => void }): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 5 * 60_000;
  const deadline = Date.now() + timeoutMs;
  await deleteUntilGone(kube, ref, { timeoutMs, progress: options.progress });
  const namespace = await kube.get('v1', 'Namespace', undefined, ref.namespace);
  if (namespace?.metadata.labels?.[OWNER_LABEL.managedBy] !== MANAGED_BY) return;
  const others = await kube.list('tracelab.dev/v1alpha1', 'TraceLab', ref.namespace).catch(() => []);
  if (others.length > 0) {
    options.progress(`namespace ${ref.namespace} stays: it holds other TraceLabs (${others.map((o) => o.metadata.name).join(', ')})`);
    return;
  }
  options.progress(`deleting namespace ${ref.namespace} (tracelab up created it)`);
  await kube.delete('v1', 'Namespace', undefined, ref.namespace);
  while (await kube.get('v1', 'Namespace', undefined, ref.namespace)) {
    if (Date.now() > deadline)
      throw new Error(
        `namespace ${ref.namespace} still terminating after ${Math.round(timeoutMs / 1000)}s: kubectl get all -n ${ref.namespace} shows what holds it`,
      );
    await new Promise((r) => setTimeout(r, 1_000));
  }
}
