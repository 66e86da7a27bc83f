// `tracelab up`, start to finish: (kind only) the tools, the cluster and the images; then the
// CRD, the namespace, the TraceLab object, and the reconciler run until Ready.
import { appImage } from '../../contracts/spec/runtimes.ts';
import type { Stage } from '../../contracts/cluster-resource.ts';
import type { TraceLab } from '../../contracts/spec/schema.ts';
import type { TraceLabStatus } from '../../contracts/status.ts';
import { SECRET } from '../../charts/synthesize.ts';
import { ensureNamespace, installCrd, traceLabObject } from './install.ts';
import { KIND_CONTEXT, checkKindTools, ensureKindCluster, loadImages } from './kind.ts';
import { Kube, loadKubeConfig, type KubeTarget } from './kube.ts';
import { reconcileUntilReady } from './run.ts';

export interface UpOptions {
  /** The spec file's text (applied as the TraceLab object) and the validated spec. */
  readonly text: string;
  readonly doc: TraceLab;
  /** kind: create/reuse the kind cluster and load images; existing: the kubeconfig's cluster as it is. */
  readonly cluster: 'kind' | 'existing';
  readonly target: KubeTarget;
  readonly stageTimeoutMs?: number;
  readonly timeoutMs?: number;
  readonly progress: (line: string) => void;
}

export async function up(options: UpOptions): Promise<TraceLabStatus> {
  const { doc, progress } = options;
  let target = options.target;
  if (options.cluster === 'kind') {
    checkKindTools(progress);
    await ensureKindCluster(progress, target.kubeconfig);
    // The app image of every runtime and SDK line the topologies use.
    await loadImages([...new Set(doc.spec.topologies.map((t) => appImage(doc.spec.app.images, t)))], progress);
    target = { ...target, context: target.context ?? KIND_CONTEXT };
  }
  const kube = new Kube(loadKubeConfig(target));
  progress(`cluster: ${kube.server} (context ${kube.config.getCurrentContext()})`);
  await installCrd(kube, progress);
  const { created } = await ensureNamespace(kube, doc);
  progress(`namespace ${doc.spec.namespace}: ${created ? 'created' : 'exists; its labels are left as they are'}`);
  const object = traceLabObject(options.text, doc);
  const applied = await kube.apply(object);
  for (const warning of applied.warnings) progress(`warning: ${warning}`);
  progress(`TraceLab ${doc.spec.namespace}/${doc.metadata.name} applied (generation ${applied.object.metadata.generation}); reconciling`);
  const stageTimeoutMs = options.stageTimeoutMs;
  return reconcileUntilReady(
    kube,
    { namespace: doc.spec.namespace, name: doc.metadata.name },
    { progress, timeoutMs: options.timeoutMs, ...(stageTimeoutMs ? { stageTimeoutMs: (_: Stage) => stageTimeoutMs } : {}) },
  );
}

/** Where the UI is and where its keys are — names of Secrets and keys, never values. */
export function accessNotes(doc: TraceLab): string[] {
  const ns = doc.spec.namespace;
  const read = (secret: string, key: string) => `kubectl -n ${ns} get secret ${secret} -o jsonpath='{.data.${key}}' | base64 -d`;
  const lf = doc.spec.langfuse;
  const lines = [`Langfuse: ${lf.ingress ? `https://${lf.ingress.host} (Ingress; NEXTAUTH_URL ${lf.nextauthUrl})` : lf.nextauthUrl}`];
  if (!lf.ingress && !lf.nodePort) lines.push(`  (not exposed outside the cluster: kubectl -n ${ns} port-forward svc/langfuse-web 3000:3000)`);
  if (lf.init.userEmail) lines.push(`Login: ${lf.init.userEmail}, password: ${read(SECRET.init, 'userPassword')}`);
  else lines.push('Login: no user was created (set spec.langfuse.init.userEmail for one); sign up in the UI.');
  lines.push(`API keys of project "${lf.init.projectName}": ${read(SECRET.init, 'publicKey')}`, `                          ${read(SECRET.init, 'secretKey')}`);
  return lines;
}
