// StorageClasses the spec names must exist, or every PVC using one stays Pending without a
// word in the stack's own status. A fresh EKS cluster, for one, has no `gp3` class.
import type { Spec } from '../../contracts/spec/schema.ts';
import { KubeError, type Kube } from './kube.ts';

export function namedStorageClasses(spec: Spec): Array<{ name: string; field: string }> {
  const out: Array<{ name: string; field: string }> = [];
  for (const [store, settings] of Object.entries(spec.datastores)) {
    if (settings.mode === 'in-cluster' && settings.storage.storageClassName) {
      out.push({ name: settings.storage.storageClassName, field: `spec.datastores.${store}.storage.storageClassName` });
    }
  }
  const queue = spec.collector.persistentQueue;
  if (queue.enabled && queue.storage.storageClassName)
    out.push({ name: queue.storage.storageClassName, field: 'spec.collector.persistentQueue.storage.storageClassName' });
  return out;
}

/** One line per missing class, saying where it is named and how to get one. */
export async function missingStorageClasses(kube: Kube, spec: Spec): Promise<string[]> {
  const problems: string[] = [];
  for (const { name, field } of namedStorageClasses(spec)) {
    try {
      if (await kube.get('storage.k8s.io/v1', 'StorageClass', undefined, name)) continue;
    } catch (error) {
      // Not allowed to look: the PVC's events will tell instead.
      if (error instanceof KubeError && error.status === 403) continue;
      throw error;
    }
    const fix = name === 'gp3' ? 'create it (kubectl apply -f infra/cluster/eks/storageclass-gp3.yaml, needs the EBS CSI driver)' : 'create it';
    problems.push(`StorageClass "${name}" (${field}) does not exist in the cluster: ${fix}, or name one that exists (kubectl get storageclass)`);
  }
  return [...new Set(problems)];
}
