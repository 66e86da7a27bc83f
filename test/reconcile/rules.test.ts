// The reconciler's pure rules, by example: when an object counts as ready (kubectl rollout
// status semantics), and how conditions keep their transition times so an unchanged state
// writes nothing. (The cluster tests run them against a real API server.)
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../infra/cluster/kube.ts';
import { readiness } from '../../infra/cluster/readiness.ts';
import { nextStatus, sameStatus } from '../../infra/cluster/status.ts';
import { fieldChanges } from '../../infra/cluster/diff.ts';

const object = (kind: string, spec: object, status: object, generation = 2): KubeObject => ({
  apiVersion: 'apps/v1',
  kind,
  metadata: { name: 'x', generation },
  spec,
  status,
});

describe('readiness', () => {
  it.each([
    [
      'a Deployment whose controller has not seen the new spec',
      object('Deployment', { replicas: 1 }, { observedGeneration: 1, availableReplicas: 1, updatedReplicas: 1, replicas: 1 }),
      false,
    ],
    [
      'a Deployment with an old replica still running',
      object('Deployment', { replicas: 1 }, { observedGeneration: 2, availableReplicas: 1, updatedReplicas: 1, replicas: 2 }),
      false,
    ],
    [
      'a Deployment all updated and available',
      object('Deployment', { replicas: 2 }, { observedGeneration: 2, availableReplicas: 2, updatedReplicas: 2, replicas: 2 }),
      true,
    ],
    [
      'a StatefulSet mid rolling update',
      object('StatefulSet', { replicas: 1 }, { observedGeneration: 2, readyReplicas: 1, updatedReplicas: 1, currentRevision: 'a', updateRevision: 'b' }),
      false,
    ],
    [
      'a StatefulSet ready at its revision',
      object('StatefulSet', { replicas: 1 }, { observedGeneration: 2, readyReplicas: 1, updatedReplicas: 1, currentRevision: 'b', updateRevision: 'b' }),
      true,
    ],
    [
      'a DaemonSet with a node not yet updated',
      object('DaemonSet', {}, { observedGeneration: 2, desiredNumberScheduled: 2, updatedNumberScheduled: 1, numberAvailable: 2 }),
      false,
    ],
    ['a suspended Job (k6, waiting for the bench step)', object('Job', { suspend: true }, {}), true],
    ['a failed Job', object('Job', {}, { conditions: [{ type: 'Failed', status: 'True', message: 'BackoffLimitExceeded' }] }), false],
    ['a ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }, true],
  ])('%s: ready=%s', (_label, o, ready) => {
    expect(readiness(o as KubeObject).ready).toBe(ready);
  });
});

describe('status', () => {
  const t0 = new Date('2026-11-23T10:00:00Z');
  const t1 = new Date('2026-11-23T10:05:00Z');
  const progressing = { phase: 'Progressing' as const, reason: 'WaitingWeb', message: 'stage web: waiting', stage: 'web' as const, components: [] };
  const ready = { phase: 'Ready' as const, reason: 'AllStagesReady', message: 'every component is ready', components: [] };

  it('a condition keeps its lastTransitionTime while its status stays; the same state twice is the same status', () => {
    const first = nextStatus(undefined, 3, ready, t0);
    const second = nextStatus(first, 3, ready, t1);
    expect(sameStatus(first, second)).toBe(true);
    expect(second.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime).toBe(t0.toISOString());
  });

  it('a transition stamps the new time and says why', () => {
    const first = nextStatus(undefined, 3, progressing, t0);
    const second = nextStatus(first, 3, ready, t1);
    expect(second.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True', lastTransitionTime: t1.toISOString() });
    expect(first.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({ status: 'True', reason: 'WaitingWeb' });
    expect(first).toMatchObject({ phase: 'Progressing', stage: 'web', stageSince: t0.toISOString(), observedGeneration: 3 });
    expect(second.stage).toBeUndefined();
  });
});

describe('diff', () => {
  it('names list entries by their name, so one env change is one line', () => {
    const before = {
      containers: [
        {
          name: 'app',
          env: [
            { name: 'A', value: '1' },
            { name: 'B', value: '2' },
          ],
        },
      ],
    };
    const after = {
      containers: [
        {
          name: 'app',
          env: [
            { name: 'A', value: '1' },
            { name: 'B', value: '3' },
          ],
        },
      ],
    };
    expect(fieldChanges(before, after)).toEqual([{ path: 'containers[app].env[B].value', from: '2', to: '3' }]);
  });
});
