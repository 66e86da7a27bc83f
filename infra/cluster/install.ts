// What `tracelab up` puts in place before the reconciler runs: the CRD, the namespace (when it
// does not exist yet) and the TraceLab object itself, as the user wrote it.
import { parse } from 'yaml';
import { CRD_NAME, MANAGED_BY, OWNER_LABEL } from '../../contracts/cluster-resource.ts';
import { traceLabCrd } from '../../contracts/crd.ts';
import type { TraceLab } from '../../contracts/spec/schema.ts';
import { renderCharts } from '../../charts/synthesize.ts';
import { KubeError, type Kube, type KubeObject } from './kube.ts';

/**
 * The CRD is tracelab's own definition: when another manager (say `kubectl apply
 * --server-side -f dist/crd/`) applied an older one, tracelab takes its fields over — and says so.
 */
export async function installCrd(kube: Kube, progress: (line: string) => void = () => {}, timeoutMs = 30_000): Promise<void> {
  const crd = traceLabCrd() as KubeObject;
  await kube.apply(crd).catch(async (error) => {
    if (!(error instanceof KubeError && error.status === 409)) throw error;
    progress(`CRD ${CRD_NAME}: taking over fields another manager applied (${error.message.replace(/^Apply failed with \d+ conflicts?: /, '')})`);
    await kube.apply(crd, { force: true });
  });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const crd = await kube.get('apiextensions.k8s.io/v1', 'CustomResourceDefinition', undefined, CRD_NAME);
    const conditions: Array<{ type: string; status: string; message?: string }> = crd?.status?.conditions ?? [];
    if (conditions.some((c) => c.type === 'Established' && c.status === 'True')) return;
    const refused = conditions.find((c) => c.type === 'NamesAccepted' && c.status === 'False');
    if (refused) throw new Error(`the API server refused the TraceLab CRD's names: ${refused.message}`);
    if (Date.now() > deadline) throw new Error(`CRD ${CRD_NAME} not established after ${timeoutMs / 1000}s: ${JSON.stringify(conditions)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Creates the stack's namespace with the charts' labels (Pod Security) when it does not exist,
 * marked as tracelab's so `tracelab down` removes it again. A namespace that exists is left as
 * it is: its Pod Security level is its owner's decision.
 */
export async function ensureNamespace(kube: Kube, doc: TraceLab): Promise<{ created: boolean }> {
  if (await kube.get('v1', 'Namespace', undefined, doc.spec.namespace)) return { created: false };
  const namespace = renderCharts(doc)
    .flatMap((c) => c.objects as KubeObject[])
    .find((o) => o.kind === 'Namespace')!;
  namespace.metadata.labels = { ...namespace.metadata.labels, [OWNER_LABEL.managedBy]: MANAGED_BY };
  await kube.apply(namespace);
  return { created: true };
}

/**
 * The TraceLab object for a spec file: the document as the user wrote it (so the resource
 * reads like tracelab.yaml), in the spec's namespace, with the profile the CLI chose.
 */
export function traceLabObject(text: string, doc: TraceLab): KubeObject {
  const raw = parse(text) as { metadata?: { labels?: Record<string, string> }; spec?: Record<string, unknown> };
  return {
    apiVersion: doc.apiVersion,
    kind: doc.kind,
    metadata: { name: doc.metadata.name, namespace: doc.spec.namespace, ...(raw.metadata?.labels ? { labels: raw.metadata.labels } : {}) },
    spec: { ...(raw.spec ?? {}), profile: doc.spec.profile },
  };
}
