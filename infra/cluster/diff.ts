// What `tracelab up` would change, computed by the API server itself: every object is
// server-side applied with dryRun=All and the result compared with the live object, so
// defaults, admission and conflicts are the server's, not a guess. The review step of a
// staging rollout. Secret values are never read into the output.
import { API_VERSION, KIND, type TraceLab } from '../../contracts/spec/schema.ts';
import { requiredSecrets } from '../../charts/synthesize.ts';
import { ApplyProblem, applyObject } from './apply-object.ts';
import { desiredObjects, keyOf } from './desired.ts';
import { ownedObjects } from './inventory.ts';
import { KubeError, type Kube, type KubeObject } from './kube.ts';

export interface FieldChange {
  readonly path: string;
  readonly from?: unknown;
  readonly to?: unknown;
}

export interface Change {
  readonly key: string;
  readonly action: 'create' | 'update' | 'delete' | 'refused';
  readonly fields?: readonly FieldChange[];
  readonly note?: string;
}

/** Server-managed bookkeeping that changes on every write and says nothing about intent. */
function comparable(object: KubeObject): unknown {
  const copy = structuredClone(object) as KubeObject;
  for (const key of ['managedFields', 'resourceVersion', 'generation', 'creationTimestamp', 'uid', 'selfLink']) delete copy.metadata[key];
  delete copy.metadata.annotations?.['deployment.kubernetes.io/revision'];
  if (copy.metadata.annotations && Object.keys(copy.metadata.annotations).length === 0) delete copy.metadata.annotations;
  delete copy.status;
  return copy;
}

export function fieldChanges(before: unknown, after: unknown, path = ''): FieldChange[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const isObject = (v: unknown) => v !== null && typeof v === 'object';
  if (Array.isArray(before) && Array.isArray(after)) {
    // Lists of named things (containers, env, ports) by name, so one change reads as one line.
    const named = (list: unknown[]) => list.every((e) => isObject(e) && typeof (e as { name?: unknown }).name === 'string');
    if (named(before) && named(after)) {
      const index = (list: Array<{ name: string }>) => new Map(list.map((e) => [e.name, e]));
      const a = index(before as Array<{ name: string }>);
      const b = index(after as Array<{ name: string }>);
      return [...new Set([...a.keys(), ...b.keys()])].flatMap((name) => fieldChanges(a.get(name), b.get(name), `${path}[${name}]`));
    }
    const length = Math.max(before.length, after.length);
    return Array.from({ length }, (_, i) => fieldChanges(before[i], after[i], `${path}[${i}]`)).flat();
  }
  // A whole new (or removed) object reads best as its fields, one per line.
  const plain = (v: unknown) => isObject(v) && !Array.isArray(v);
  if ((before === undefined && plain(after)) || (after === undefined && plain(before))) {
    return Object.keys((before ?? after) as object).flatMap((k) =>
      fieldChanges((before as Record<string, unknown> | undefined)?.[k], (after as Record<string, unknown> | undefined)?.[k], path ? `${path}.${k}` : k),
    );
  }
  if (isObject(before) && isObject(after) && !Array.isArray(before) && !Array.isArray(after)) {
    const keys = [...new Set([...Object.keys(before as object), ...Object.keys(after as object)])];
    return keys.flatMap((k) => fieldChanges((before as Record<string, unknown>)[k], (after as Record<string, unknown>)[k], path ? `${path}.${k}` : k));
  }
  return [{ path, from: before, to: after }];
}

export async function diffStack(kube: Kube, tracelab: KubeObject, doc: TraceLab): Promise<Change[]> {
  const namespace = doc.spec.namespace;
  const changes: Change[] = [];
  const liveTraceLab = await kube.get(API_VERSION, KIND, namespace, tracelab.metadata.name).catch((error) => {
    if (error instanceof KubeError && error.status === 404) return undefined;
    throw error;
  });
  changes.push(await diffOne(keyOf(tracelab), tracelab, liveTraceLab, (o) => kube.apply(o, { dryRun: true }).then((r) => r.object)));

  const desired = desiredObjects(doc, { name: tracelab.metadata.name, uid: liveTraceLab?.metadata.uid });
  for (const d of desired) {
    const live = await kube.get(d.object.apiVersion, d.object.kind, namespace, d.object.metadata.name);
    changes.push(
      await diffOne(d.key, d.object, live, async () => {
        const applied = await applyObject(kube, d, { dryRun: true });
        if (!applied.object) throw new Replaced(applied.warnings.join('; '));
        return applied.object;
      }),
    );
  }
  const wanted = new Set(desired.map((d) => d.key));
  const owned = await ownedObjects(kube, namespace, tracelab.metadata.name).catch(() => []);
  for (const o of owned) {
    if (o.kind !== 'Secret' && o.kind !== 'PersistentVolumeClaim' && !wanted.has(keyOf(o)))
      changes.push({ key: keyOf(o), action: 'delete', note: 'no longer in the spec' });
  }
  for (const secret of requiredSecrets(doc.spec)) {
    const live = await kube.get('v1', 'Secret', namespace, secret.name).catch(() => undefined);
    if (live) continue;
    const generated = Object.values(secret.keys).some((rule) => rule !== 'provided');
    changes.push({
      key: `Secret/${secret.name}`,
      action: generated ? 'create' : 'refused',
      note: generated ? 'generated with random values' : 'missing: you provide it (see required-secrets.md)',
    });
  }
  return changes.filter((c) => c.action !== 'update' || c.note || (c.fields?.length ?? 0) > 0);
}

async function diffOne(key: string, desired: KubeObject, live: KubeObject | undefined, dryRun: (o: KubeObject) => Promise<KubeObject>): Promise<Change> {
  if (!live) {
    // Without the namespace (or the CRD) a dry run cannot say more than "created".
    try {
      await dryRun(desired);
    } catch (error) {
      if (error instanceof KubeError && error.status === 404) return { key, action: 'create' };
      return refused(key, error);
    }
    return { key, action: 'create' };
  }
  try {
    const after = await dryRun(desired);
    return { key, action: 'update', fields: fieldChanges(comparable(live), comparable(after)) };
  } catch (error) {
    return refused(key, error);
  }
}

/** The object would be deleted and created anew (a k6 Job whose template changed). */
class Replaced extends Error {}

function refused(key: string, error: unknown): Change {
  if (error instanceof Replaced) return { key, action: 'update', note: error.message };
  if (error instanceof ApplyProblem || error instanceof KubeError) return { key, action: 'refused', note: error.message };
  throw error;
}

export function formatChanges(changes: readonly Change[]): string {
  if (changes.length === 0) return 'No changes: the cluster already runs this spec.';
  const show = (v: unknown) => (v === undefined ? '(none)' : JSON.stringify(v).slice(0, 120));
  const sign = { create: '+', update: '~', delete: '-', refused: '!' } as const;
  const lines: string[] = [];
  for (const c of changes) {
    lines.push(`${sign[c.action]} ${c.key}${c.note ? `: ${c.note}` : ''}`);
    for (const f of c.fields ?? []) lines.push(`    ${f.path}: ${show(f.from)} → ${show(f.to)}`);
  }
  const count = (a: Change['action']) => changes.filter((c) => c.action === a).length;
  lines.push('', `${count('create')} to create, ${count('update')} to change, ${count('delete')} to delete, ${count('refused')} refused by the API server`);
  return lines.join('\n');
}
