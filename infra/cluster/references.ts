// Every Secret and ConfigMap a pod template references must exist with the key it reads.
// A real kubelet would leave such a pod in CreateContainerConfigError; kwok (the test nodes)
// marks it Ready anyway. Checking before waiting gives one clear message on both.
import type { Kube, KubeObject } from './kube.ts';
import { keyOf } from './desired.ts';

interface Reference {
  readonly kind: 'Secret' | 'ConfigMap';
  readonly name: string;
  /** undefined: the whole object is mounted. */
  readonly key?: string;
  readonly optional: boolean;
  readonly from: string;
}

function references(workload: KubeObject): Reference[] {
  const pod = workload.spec?.template?.spec;
  if (!pod) return [];
  const from = keyOf(workload);
  const out: Reference[] = [];
  for (const container of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
    for (const env of container.env ?? []) {
      const secret = env.valueFrom?.secretKeyRef;
      if (secret) out.push({ kind: 'Secret', name: secret.name, key: secret.key, optional: Boolean(secret.optional), from: `${from} env ${env.name}` });
      const config = env.valueFrom?.configMapKeyRef;
      if (config) out.push({ kind: 'ConfigMap', name: config.name, key: config.key, optional: Boolean(config.optional), from: `${from} env ${env.name}` });
    }
  }
  for (const volume of pod.volumes ?? []) {
    if (volume.secret)
      out.push({ kind: 'Secret', name: volume.secret.secretName, optional: Boolean(volume.secret.optional), from: `${from} volume ${volume.name}` });
    if (volume.configMap) {
      const items: Array<{ key: string }> = volume.configMap.items ?? [];
      const optional = Boolean(volume.configMap.optional);
      if (items.length === 0) out.push({ kind: 'ConfigMap', name: volume.configMap.name, optional, from: `${from} volume ${volume.name}` });
      for (const item of items) out.push({ kind: 'ConfigMap', name: volume.configMap.name, key: item.key, optional, from: `${from} volume ${volume.name}` });
    }
  }
  return out;
}

/** One line per reference that would keep a pod from starting. */
export async function missingReferences(kube: Kube, namespace: string, workloads: readonly KubeObject[]): Promise<string[]> {
  const cache = new Map<string, Promise<KubeObject | undefined>>();
  const fetch = (kind: string, name: string) => {
    const id = `${kind}/${name}`;
    if (!cache.has(id)) cache.set(id, kube.get('v1', kind, namespace, name));
    return cache.get(id)!;
  };
  const problems: string[] = [];
  for (const ref of workloads.flatMap(references)) {
    if (ref.optional) continue;
    const live = await fetch(ref.kind, ref.name);
    const data = { ...(live?.data as object | undefined), ...(live?.binaryData as object | undefined), ...(live?.stringData as object | undefined) };
    if (!live) problems.push(`${ref.from} needs ${ref.kind} ${ref.name}, which does not exist`);
    else if (ref.key && !(ref.key in data)) problems.push(`${ref.from} needs key ${ref.key} of ${ref.kind} ${ref.name}, which it does not have`);
  }
  return [...new Set(problems)];
}
