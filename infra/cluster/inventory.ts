// What a TraceLab owns in its namespace, found by its labels: the basis of pruning (objects a
// previous generation applied that the current spec no longer produces) and of cleanup.
import { MANAGED_RESOURCES, STAGES, OWNER_LABEL } from '../../contracts/cluster-resource.ts';
import type { Kube, KubeObject } from './kube.ts';
import { keyOf, ownerSelector } from './desired.ts';

/** Generated Secrets and PVCs hold data: pruning never takes them, only cleanup. */
const KEPT_ON_PRUNE = new Set(['Secret', 'PersistentVolumeClaim']);

export async function ownedObjects(kube: Kube, namespace: string, owner: string): Promise<KubeObject[]> {
  const selector = ownerSelector(owner);
  const lists = await Promise.all(MANAGED_RESOURCES.map((r) => kube.list(r.apiVersion, r.kind, namespace, { labelSelector: selector })));
  return lists.flat();
}

/** Deletes what this TraceLab applied before and no longer wants; returns their keys. */
export async function prune(kube: Kube, namespace: string, owner: string, wanted: ReadonlySet<string>): Promise<string[]> {
  const stale = (await ownedObjects(kube, namespace, owner)).filter(
    (o) => !KEPT_ON_PRUNE.has(o.kind) && !wanted.has(keyOf(o)) && !o.metadata.deletionTimestamp,
  );
  for (const o of stale) await kube.delete(o.apiVersion, o.kind, namespace, o.metadata.name);
  return stale.map(keyOf);
}

/**
 * One cleanup pass: deletes everything the TraceLab owns, apps first and datastores last,
 * then its Secrets and volumes. Returns what still exists (pods and volumes take a moment).
 */
export async function deleteOwned(kube: Kube, namespace: string, owner: string): Promise<string[]> {
  const owned = await ownedObjects(kube, namespace, owner);
  const rank = (o: KubeObject) => {
    const stage = o.metadata.labels?.[OWNER_LABEL.stage] as (typeof STAGES)[number] | undefined;
    return stage ? STAGES.length - STAGES.indexOf(stage) : STAGES.length + 1;
  };
  for (const o of owned.sort((a, b) => rank(a) - rank(b))) {
    if (!o.metadata.deletionTimestamp) await kube.delete(o.apiVersion, o.kind, namespace, o.metadata.name);
  }
  const pods = await kube.list('v1', 'Pod', namespace, { labelSelector: ownerSelector(owner) });
  const left = [...(await ownedObjects(kube, namespace, owner)), ...pods];
  return left.map(keyOf);
}
