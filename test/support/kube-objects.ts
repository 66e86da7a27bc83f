// Reading synthesized manifests the way the API server would: by kind, with pod templates.
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: any;
  data?: Record<string, string>;
}

export interface PodTemplateOwner {
  readonly owner: KubeObject;
  readonly labels: Record<string, string>;
  readonly pod: any;
}

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job']);

export function podTemplates(objects: readonly KubeObject[]): PodTemplateOwner[] {
  return objects
    .filter((o) => WORKLOADS.has(o.kind))
    .map((owner) => ({ owner, labels: owner.spec.template.metadata?.labels ?? {}, pod: owner.spec.template.spec }));
}

export function allContainers(pod: any): any[] {
  return [...(pod.initContainers ?? []), ...(pod.containers ?? [])];
}

export function matches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** The class kubernetes-models generates for an object's apiVersion and kind. */
export async function modelFor(object: KubeObject): Promise<new (data: object) => { validate(): void }> {
  const module = await import(`kubernetes-models/${object.apiVersion}/${object.kind}`);
  return module[object.kind];
}
