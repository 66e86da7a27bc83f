// When an applied object counts as ready, by the rules `kubectl rollout status` uses: the
// controller has seen the newest generation, every replica runs the newest template, and the
// desired number is available. Objects without rollouts (ConfigMaps, Services) are ready once
// they exist. Pure functions of the live object.
import type { KubeObject } from './kube.ts';

export interface Readiness {
  readonly ready: boolean;
  /** "ready/desired", or "suspended" / "complete" / "running" for Jobs, "-" for objects without pods. */
  readonly replicas: string;
  /** Why not ready, in a few words. */
  readonly message?: string;
}

export const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job']);

export function readiness(object: KubeObject): Readiness {
  const spec = object.spec ?? {};
  const status = object.status ?? {};
  const generation = object.metadata.generation ?? 0;
  const stale = (status.observedGeneration ?? 0) < generation;
  const pending = (replicas: string, message: string): Readiness => ({ ready: false, replicas, message });
  switch (object.kind) {
    case 'Deployment': {
      const desired = spec.replicas ?? 1;
      const available = status.availableReplicas ?? 0;
      const updated = status.updatedReplicas ?? 0;
      const replicas = `${available}/${desired}`;
      if (stale) return pending(replicas, 'the controller has not seen the newest spec yet');
      if (updated < desired) return pending(replicas, `${updated} of ${desired} replicas run the newest template`);
      if ((status.replicas ?? 0) > updated) return pending(replicas, `${(status.replicas ?? 0) - updated} old replicas are still terminating`);
      if (available < desired) return pending(replicas, `${available} of ${desired} replicas available`);
      return { ready: true, replicas };
    }
    case 'StatefulSet': {
      const desired = spec.replicas ?? 1;
      const ready = status.readyReplicas ?? 0;
      const replicas = `${ready}/${desired}`;
      if (stale) return pending(replicas, 'the controller has not seen the newest spec yet');
      if ((status.updatedReplicas ?? 0) < desired) return pending(replicas, `${status.updatedReplicas ?? 0} of ${desired} replicas run the newest revision`);
      if (ready < desired) return pending(replicas, `${ready} of ${desired} replicas ready`);
      if (status.updateRevision && status.currentRevision !== status.updateRevision) return pending(replicas, 'rolling update in progress');
      return { ready: true, replicas };
    }
    case 'DaemonSet': {
      const desired = status.desiredNumberScheduled ?? 0;
      const available = status.numberAvailable ?? 0;
      const replicas = `${available}/${desired}`;
      if (stale) return pending(replicas, 'the controller has not seen the newest spec yet');
      if ((status.updatedNumberScheduled ?? 0) < desired)
        return pending(replicas, `${status.updatedNumberScheduled ?? 0} of ${desired} nodes run the newest template`);
      if (available < desired) return pending(replicas, `${available} of ${desired} nodes have an available pod`);
      return { ready: true, replicas };
    }
    case 'Job': {
      // k6 Jobs are created suspended; the bench step resumes them. Existing is all this stage asks.
      const conditions: Array<{ type: string; status: string; message?: string }> = status.conditions ?? [];
      const failed = conditions.find((c) => c.type === 'Failed' && c.status === 'True');
      if (failed) return pending('failed', failed.message ?? 'the Job failed');
      if (conditions.some((c) => c.type === 'Complete' && c.status === 'True')) return { ready: true, replicas: 'complete' };
      return { ready: true, replicas: spec.suspend ? 'suspended' : 'running' };
    }
    default:
      return { ready: true, replicas: '-' };
  }
}
