// The operator's loop: an informer on the TraceLab objects of one namespace feeds a work queue
// that one worker drains, calling the same reconcile() as the CLI. Objects are reconciled again
// when they change, when a pass asks for it (a stage still coming up), on a periodic resync
// (drift: someone deleted a Deployment), and after an error with exponential backoff.
// Workloads are not watched: while a stage comes up, the pass's own requeue polls it.
import { makeInformer, type Informer, type KubernetesListObject, type KubernetesObject, type ObjectCache } from '@kubernetes/client-node';
import { API_VERSION, KIND } from '../../contracts/spec/schema.ts';
import { resourcePath, type Kube } from './kube.ts';
import { reconcile, type ReconcileOptions } from './reconcile.ts';

export interface ControllerOptions extends ReconcileOptions {
  /** @default 5 minutes */
  readonly resyncMs?: number;
  /** Backoff after a failed pass: base doubling up to max. @default 1 s → 5 min */
  readonly backoffMs?: { readonly base: number; readonly max: number };
  /** @default console.log with a timestamp */
  readonly log?: (line: string) => void;
}

export class Controller {
  private readonly kube: Kube;
  private readonly namespace: string;
  private readonly options: ControllerOptions;
  private readonly log: (line: string) => void;
  // Only names are read from the informer's objects; reconcile() reads the object itself.
  private informer?: Informer<KubernetesObject> & ObjectCache<KubernetesObject>;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly failures = new Map<string, number>();
  private readonly queue: string[] = [];
  private working = false;
  private stopped = false;
  private resync?: NodeJS.Timeout;
  private restart?: NodeJS.Timeout;

  constructor(kube: Kube, namespace: string, options: ControllerOptions = {}) {
    this.kube = kube;
    this.namespace = namespace;
    this.options = options;
    this.log = options.log ?? ((line) => console.log(`${new Date().toISOString()} ${line}`));
  }

  async start(): Promise<void> {
    const path = resourcePath(API_VERSION, KIND, this.namespace);
    const list = async () => (await this.kube.request<KubernetesListObject<KubernetesObject>>('GET', path)).body;
    const informer = makeInformer<KubernetesObject>(this.kube.config, path, list);
    const enqueue = (o: KubernetesObject) => this.enqueue(o.metadata?.name ?? '', 0);
    informer.on('add', enqueue);
    informer.on('update', enqueue);
    informer.on('delete', (o) => this.log(`TraceLab ${this.namespace}/${o.metadata?.name} is gone`));
    // The informer stops on an error (API server restarted, token expired): start it again, later.
    informer.on('error', (error) => {
      if (this.stopped) return;
      this.log(`watch failed (${(error as Error)?.message ?? error}); restarting in 5s`);
      this.restart = setTimeout(() => informer.start().catch((e) => this.log(`restart failed: ${(e as Error).message}`)), 5_000);
    });
    this.informer = informer;
    await informer.start();
    this.resync = setInterval(
      () => {
        for (const o of informer.list(this.namespace)) this.enqueue(o.metadata?.name ?? '', 0);
      },
      this.options.resyncMs ?? 5 * 60_000,
    );
    this.log(`watching TraceLabs in namespace ${this.namespace}`);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.resync);
    clearTimeout(this.restart);
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await this.informer?.stop();
    while (this.working) await new Promise((r) => setTimeout(r, 50));
  }

  /** Runs `name` after `delayMs`; an earlier request for the same name wins. */
  private enqueue(name: string, delayMs: number): void {
    if (this.stopped) return;
    const pending = this.timers.get(name);
    if (pending && delayMs > 0) return;
    clearTimeout(pending);
    this.timers.set(
      name,
      setTimeout(() => {
        this.timers.delete(name);
        if (!this.queue.includes(name)) this.queue.push(name);
        void this.drain();
      }, delayMs),
    );
  }

  private async drain(): Promise<void> {
    if (this.working) return;
    this.working = true;
    try {
      for (let name = this.queue.shift(); name && !this.stopped; name = this.queue.shift()) await this.runOnce(name);
    } finally {
      this.working = false;
    }
  }

  private async runOnce(name: string): Promise<void> {
    const ref = `${this.namespace}/${name}`;
    try {
      const result = await reconcile(this.kube, { namespace: this.namespace, name }, { ...this.options, log: (line) => this.log(`${ref}: ${line}`) });
      this.failures.delete(name);
      if (result.gone) return;
      const status = result.status;
      if (status) this.log(`${ref}: ${status.phase}${status.stage ? ` (stage ${status.stage})` : ''}`);
      if (result.requeueAfterMs !== undefined) this.enqueue(name, result.requeueAfterMs);
    } catch (error) {
      const failures = (this.failures.get(name) ?? 0) + 1;
      this.failures.set(name, failures);
      const { base, max } = this.options.backoffMs ?? { base: 1_000, max: 5 * 60_000 };
      const delay = Math.min(base * 2 ** (failures - 1), max);
      this.log(`${ref}: reconcile failed (${(error as Error).message}); retrying in ${Math.round(delay / 1000)}s`);
      this.enqueue(name, delay);
    }
  }
}
