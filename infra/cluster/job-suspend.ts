// Who owns a k6 Job's .spec.suspend. The charts create Jobs suspended; the bench step (or a
// person with kubectl patch) resumes one by setting it false, and thereby takes the field
// over. Re-applying `suspend: true` then would conflict (FACTS.md) — or, forced, stop a
// running load test. So tracelab applies the field only while it still owns it: at creation,
// and as long as nobody else has touched it.
import { FIELD_MANAGER } from '../../contracts/cluster-resource.ts';
import type { KubeObject } from './kube.ts';

export function ownsSuspend(live: KubeObject | undefined): boolean {
  if (!live) return true;
  return (live.metadata.managedFields ?? []).some((entry) => {
    const spec = entry.fieldsV1?.['f:spec'] as Record<string, unknown> | undefined;
    return entry.manager === FIELD_MANAGER && entry.operation === 'Apply' && spec !== undefined && 'f:suspend' in spec;
  });
}

/** The Job to apply: without .spec.suspend once someone else owns it. */
export function jobToApply(desired: KubeObject, live: KubeObject | undefined): KubeObject {
  if (ownsSuspend(live)) return desired;
  const copy = structuredClone(desired);
  delete copy.spec.suspend;
  return copy;
}
