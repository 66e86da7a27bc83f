// What a TraceLab object asks for: its spec validated as tracelab.yaml would be, and the
// objects the charts synthesize from it, each labelled and owned by the TraceLab and tagged
// with the stage it comes up in.
import { API_VERSION, KIND, type TraceLab } from '../../contracts/spec/schema.ts';
import { MANAGED_BY, OWNER_LABEL, STAGES, type Stage } from '../../contracts/cluster-resource.ts';
import { SpecError, validateSpec, type LoadOptions } from '../../contracts/spec/read.ts';
import { renderCharts } from '../../charts/synthesize.ts';
import type { KubeObject } from './kube.ts';

export interface DesiredObject {
  readonly object: KubeObject;
  readonly stage: Stage;
  /** Kind/name, unique in the namespace. */
  readonly key: string;
}

/** The TraceLab an object belongs to (its uid is unknown before it is created). */
export interface Owner {
  readonly name: string;
  readonly uid?: string;
}

export const keyOf = (o: { kind: string; metadata: { name: string } }) => `${o.kind}/${o.metadata.name}`;

export function ownerLabels(name: string): Record<string, string> {
  return { [OWNER_LABEL.managedBy]: MANAGED_BY, [OWNER_LABEL.instance]: name };
}

export function ownerSelector(name: string): string {
  return Object.entries(ownerLabels(name))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/**
 * The spec of a TraceLab object as the reconciler sees it. The stack lives next to its
 * resource: spec.namespace may be left out (it is the TraceLab's namespace), and must not name
 * another one.
 */
export function specOfTraceLab(object: KubeObject, options: LoadOptions = {}): TraceLab {
  const namespace = object.metadata.namespace ?? 'default';
  const source = `TraceLab ${namespace}/${object.metadata.name}`;
  const spec = { ...(object.spec ?? {}) } as Record<string, unknown>;
  spec.namespace ??= namespace;
  const doc = validateSpec({ apiVersion: API_VERSION, kind: KIND, metadata: { name: object.metadata.name }, spec }, source, options);
  if (doc.spec.namespace !== namespace) {
    throw new SpecError(source, [
      {
        path: 'spec.namespace',
        message: `must be the TraceLab's own namespace "${namespace}" (got "${doc.spec.namespace}"): the stack is deployed next to its resource; drop the field or create the TraceLab in "${doc.spec.namespace}"`,
      },
    ]);
  }
  return doc;
}

export function desiredObjects(doc: TraceLab, owner: Owner): DesiredObject[] {
  const labels = ownerLabels(owner.name);
  const objects = renderCharts(doc)
    .flatMap((chart) => chart.objects as KubeObject[])
    // The namespace exists before its TraceLab does (`tracelab up` or the operator's install).
    .filter((o) => o.kind !== 'Namespace');
  return objects.map((source) => {
    const object = structuredClone(source);
    const stage = object.metadata.labels?.[OWNER_LABEL.stage] as Stage | undefined;
    if (!stage || !STAGES.includes(stage))
      throw new Error(`${keyOf(object)} has no ${OWNER_LABEL.stage} label: every chart must label its objects (charts/stage.ts)`);
    object.metadata.labels = { ...object.metadata.labels, ...labels };
    if (owner.uid) {
      object.metadata.ownerReferences = [
        { apiVersion: API_VERSION, kind: KIND, name: owner.name, uid: owner.uid, controller: true, blockOwnerDeletion: false },
      ];
    }
    // Pods and volumes carry the owner too, so cleanup can wait for them to be gone.
    const template = object.spec?.template;
    if (template) template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, ...labels } };
    for (const claim of object.spec?.volumeClaimTemplates ?? []) claim.metadata = { ...claim.metadata, labels: { ...claim.metadata?.labels, ...labels } };
    return { object, stage, key: keyOf(object) };
  });
}
