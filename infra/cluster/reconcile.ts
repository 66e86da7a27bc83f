// One reconcile of one TraceLab: the same code runs in the operator (controller.ts) and from
// the CLI (`tracelab up` calls it until Ready). Level-based and non-blocking: each pass applies
// stage after stage while the ones before are ready, writes what it saw into status, and says
// when to look again. A pass over a Ready stack changes nothing: server-side apply of the same
// objects is a no-op, and an unchanged status is not written.
import { API_VERSION, KIND } from '../../contracts/spec/schema.ts';
import { FINALIZER, STAGES, type Stage } from '../../contracts/cluster-resource.ts';
import { SpecError } from '../../contracts/spec/read.ts';
import type { ComponentStatus, TraceLabStatus } from '../../contracts/status.ts';
import { ApplyProblem, applyObject } from './apply-object.ts';
import { desiredObjects, ownerLabels, specOfTraceLab } from './desired.ts';
import { diagnose } from './diagnose.ts';
import { ensureSecrets } from './generated-secrets.ts';
import { deleteOwned, prune } from './inventory.ts';
import { KubeError, type Kube, type KubeObject } from './kube.ts';
import { readiness, WORKLOAD_KINDS } from './readiness.ts';
import { missingReferences } from './references.ts';
import { nextStatus, sameStatus, type Outcome } from './status.ts';
import { missingStorageClasses } from './storage-classes.ts';

/** How long each stage may take before it is reported with its failing pods. */
export const STAGE_TIMEOUT_MS: Record<Stage, number> = {
  datastores: 5 * 60_000,
  // Web runs every Postgres and ClickHouse migration before it turns ready (startup probe: 10 min).
  web: 12 * 60_000,
  worker: 5 * 60_000,
  collectors: 3 * 60_000,
  apps: 5 * 60_000,
  loadtest: 60_000,
};

export interface ReconcileOptions {
  /** @default STAGE_TIMEOUT_MS */
  readonly stageTimeoutMs?: (stage: Stage) => number;
  /** @default the clock */
  readonly now?: () => Date;
  /** API warnings (e.g. Pod Security) and what was pruned or created. @default dropped */
  readonly log?: (line: string) => void;
}

export interface TraceLabRef {
  readonly namespace: string;
  readonly name: string;
}

export interface ReconcileResult {
  /** The TraceLab no longer exists (deleted, cleanup finished). */
  readonly gone: boolean;
  readonly status?: TraceLabStatus;
  /** When to look again; undefined: only when the object changes. */
  readonly requeueAfterMs?: number;
}

type Step = Outcome & { readonly requeueAfterMs?: number };

export async function reconcile(kube: Kube, ref: TraceLabRef, options: ReconcileOptions = {}): Promise<ReconcileResult> {
  const now = options.now ?? (() => new Date());
  let tracelab = await kube.get(API_VERSION, KIND, ref.namespace, ref.name);
  if (!tracelab) return { gone: true };
  if (tracelab.metadata.deletionTimestamp) return finalize(kube, tracelab, now);
  const finalizers = tracelab.metadata.finalizers ?? [];
  if (!finalizers.includes(FINALIZER)) {
    tracelab = await kube.mergePatch(API_VERSION, KIND, ref.namespace, ref.name, {
      metadata: { finalizers: [...finalizers, FINALIZER], resourceVersion: tracelab.metadata.resourceVersion },
    });
  }
  const step = await converge(kube, tracelab, options, now);
  const status = nextStatus(tracelab.status, tracelab.metadata.generation ?? 0, step, now());
  if (!sameStatus(tracelab.status, status)) await kube.replaceStatus({ ...tracelab, status });
  return { gone: false, status, requeueAfterMs: step.requeueAfterMs };
}

async function converge(kube: Kube, tracelab: KubeObject, options: ReconcileOptions, now: () => Date): Promise<Step> {
  const log = options.log ?? (() => {});
  const generation = tracelab.metadata.generation ?? 0;
  const previous = tracelab.status as TraceLabStatus | undefined;
  const degraded = (reason: string, message: string, requeueAfterMs?: number, components: ComponentStatus[] = []): Step => ({
    phase: 'Degraded',
    reason,
    message,
    components,
    requeueAfterMs,
  });

  let doc: ReturnType<typeof specOfTraceLab>;
  try {
    doc = specOfTraceLab(tracelab);
  } catch (error) {
    // Nothing to retry until someone edits the spec.
    if (error instanceof SpecError) return degraded('InvalidSpec', error.message);
    throw error;
  }
  const namespace = doc.spec.namespace;
  const owner = { name: tracelab.metadata.name, uid: tracelab.metadata.uid };
  const ownerReferences = [{ apiVersion: API_VERSION, kind: KIND, name: owner.name, uid: owner.uid, controller: true, blockOwnerDeletion: false }];

  const classes = await missingStorageClasses(kube, doc.spec);
  if (classes.length > 0) return degraded('MissingStorageClass', classes.join('\n'), 30_000);
  const secrets = await ensureSecrets(kube, doc.spec, ownerLabels(owner.name), ownerReferences);
  if (secrets.created.length > 0) log(`created Secrets ${secrets.created.join(', ')} (random values, kept on later runs)`);
  if (secrets.missing.length > 0) return degraded('MissingSecret', secrets.missing.join('\n'), 15_000);

  const desired = desiredObjects(doc, owner);
  const pruned = await prune(kube, namespace, owner.name, new Set(desired.map((d) => d.key)));
  if (pruned.length > 0) log(`pruned ${pruned.join(', ')} (no longer in the spec)`);

  const components = new Map<string, ComponentStatus>(
    desired
      .filter((d) => WORKLOAD_KINDS.has(d.object.kind))
      .map((d) => [d.key, { name: d.key, stage: d.stage, ready: false, replicas: '-', message: `waits for stage ${d.stage}` }]),
  );
  const list = () => [...components.values()];
  for (const stage of STAGES) {
    const live: KubeObject[] = [];
    try {
      for (const d of desired.filter((x) => x.stage === stage)) {
        const applied = await applyObject(kube, d);
        for (const warning of applied.warnings) log(`${d.key}: ${warning}`);
        if (!applied.object)
          return { phase: 'Progressing', reason: 'Replacing', message: applied.warnings.join('; '), stage, components: list(), requeueAfterMs: 2_000 };
        live.push(applied.object);
      }
    } catch (error) {
      if (error instanceof ApplyProblem) return degraded(error.reason, error.message, 30_000, list());
      throw error;
    }
    const workloads = live.filter((o) => WORKLOAD_KINDS.has(o.kind));
    const missing = await missingReferences(kube, namespace, workloads);
    if (missing.length > 0) return degraded('MissingReference', missing.join('\n'), 15_000, list());
    const waiting: KubeObject[] = [];
    for (const w of workloads) {
      const state = readiness(w);
      const key = `${w.kind}/${w.metadata.name}`;
      components.set(key, { name: key, stage, ready: state.ready, replicas: state.replicas, ...(state.message ? { message: state.message } : {}) });
      if (!state.ready) waiting.push(w);
    }
    if (waiting.length === 0) continue;

    const since = previous?.stage === stage && previous.observedGeneration === generation && previous.stageSince ? previous.stageSince : now().toISOString();
    const waited = now().getTime() - Date.parse(since);
    const limit = (options.stageTimeoutMs ?? ((s: Stage) => STAGE_TIMEOUT_MS[s]))(stage);
    if (waited > limit) {
      const reports = await Promise.all(waiting.map((w) => diagnose(kube, w)));
      return {
        ...degraded('StageTimeout', `stage ${stage} is not ready after ${Math.round(waited / 1000)}s:\n${reports.join('\n')}`, 10_000, list()),
        stage,
        stageSince: since,
      };
    }
    const names = waiting.map((w) => `${w.kind}/${w.metadata.name} ${readiness(w).replicas}`).join(', ');
    return {
      phase: 'Progressing',
      reason: `Waiting${capital(stage)}`,
      message: `stage ${stage}: waiting for ${names}`,
      stage,
      stageSince: since,
      components: list(),
      requeueAfterMs: 3_000,
    };
  }
  return { phase: 'Ready', reason: 'AllStagesReady', message: 'every component is ready', components: list(), url: doc.spec.langfuse.nextauthUrl };
}

/** Cleanup behind the finalizer: delete what this TraceLab made, then let it go. */
async function finalize(kube: Kube, tracelab: KubeObject, now: () => Date): Promise<ReconcileResult> {
  const { namespace, name } = tracelab.metadata as { namespace: string; name: string };
  if (!(tracelab.metadata.finalizers ?? []).includes(FINALIZER)) return { gone: false };
  const left = await deleteOwned(kube, namespace, name);
  if (left.length > 0) {
    const step: Outcome = {
      phase: 'Deleting',
      reason: 'CleaningUp',
      message: `waiting for ${left.length} objects to go: ${left.slice(0, 8).join(', ')}`,
      components: [],
    };
    const status = nextStatus(tracelab.status, tracelab.metadata.generation ?? 0, step, now());
    if (!sameStatus(tracelab.status, status)) await kube.replaceStatus({ ...tracelab, status }).catch(ignoreGoneOrStale);
    return { gone: false, status, requeueAfterMs: 2_000 };
  }
  await kube
    .mergePatch(API_VERSION, KIND, namespace, name, {
      metadata: { finalizers: (tracelab.metadata.finalizers ?? []).filter((f) => f !== FINALIZER), resourceVersion: tracelab.metadata.resourceVersion },
    })
    .catch(ignoreGoneOrStale);
  return { gone: true };
}

/** The object went away or changed under us: the next pass sees the new state. */
function ignoreGoneOrStale(error: unknown): void {
  if (error instanceof KubeError && (error.status === 404 || error.status === 409)) return;
  throw error;
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
