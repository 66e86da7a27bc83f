// Applying one desired object with server-side apply, and turning the API's refusals into
// problems that say what to do. Conflicts are reported, never forced.
import type { DesiredObject } from './desired.ts';
import { jobToApply } from './job-suspend.ts';
import { KubeError, type Kube, type KubeObject } from './kube.ts';

/** A refusal the reconciler reports in status (reason) and retries later. */
export class ApplyProblem extends Error {
  readonly reason: string;
  constructor(reason: string, message: string) {
    super(message);
    this.name = 'ApplyProblem';
    this.reason = reason;
  }
}

export interface Applied {
  /** The live object after the apply (with its status), or undefined when it is being replaced. */
  readonly object?: KubeObject;
  readonly warnings: readonly string[];
}

export async function applyObject(kube: Kube, desired: DesiredObject, options: { dryRun?: boolean } = {}): Promise<Applied> {
  const { object, key } = desired;
  const namespace = object.metadata.namespace;
  let toApply = object;
  if (object.kind === 'Job') toApply = jobToApply(object, await kube.get(object.apiVersion, 'Job', namespace, object.metadata.name));
  try {
    const result = await kube.apply(toApply, options);
    return { object: result.object, warnings: result.warnings };
  } catch (error) {
    if (!(error instanceof KubeError)) throw error;
    const immutable = error.status === 422 && /immutable|Forbidden: updates to statefulset spec/i.test(error.message);
    if (immutable && object.kind === 'Job') {
      // A k6 Job is disposable and its pod template immutable: a new load setting replaces it.
      if (options.dryRun) return { object: undefined, warnings: ['replaced: its pod template is immutable'] };
      await kube.delete(object.apiVersion, 'Job', namespace, object.metadata.name);
      return { object: undefined, warnings: [`${key} is being replaced: its pod template is immutable`] };
    }
    throw problemOf(key, error, namespace);
  }
}

export function problemOf(key: string, error: KubeError, namespace?: string): ApplyProblem {
  if (error.status === 409) {
    return new ApplyProblem(
      'FieldConflict',
      `${key}: ${error.message}. tracelab does not take fields over by force: undo the other change (e.g. kubectl apply --server-side by the manager named above, or edit the field back) and tracelab will apply again`,
    );
  }
  if (error.status === 422 && key.startsWith('StatefulSet/') && /Forbidden: updates to statefulset spec|field is immutable/.test(error.message)) {
    const name = key.slice('StatefulSet/'.length);
    // The API server quotes the whole template in Go syntax; the field's name is what helps.
    const field = /(spec\.[\w.[\]]+): (?:Invalid value|Forbidden)/.exec(error.message)?.[1] ?? 'spec';
    return new ApplyProblem(
      'ImmutableField',
      `${key} cannot change in place: ${field} is immutable. Its volumeClaimTemplates (storage size and class) were set when it was created — switching profiles (kind ↔ eks) or storage settings on an existing stack does that. Keep the old storage settings, or delete the StatefulSet and its volume (its data is lost) and tracelab recreates them: kubectl -n ${namespace} delete statefulset ${name} && kubectl -n ${namespace} delete pvc -l app.kubernetes.io/name=${name}`,
    );
  }
  if (error.status === 403)
    return new ApplyProblem('Forbidden', `${key}: ${error.message}. Give tracelab's identity that right (the operator's Role lists what it needs)`);
  if (error.status === 404 && namespace) return new ApplyProblem('NamespaceMissing', `${key}: namespace ${namespace} does not exist (${error.message})`);
  return new ApplyProblem('ApplyFailed', `${key}: ${error.message}`);
}
