// When something is wrong, tracelab says what, where and what to do — never a bare timeout:
// a component that never becomes ready (its pod and events), a Secret the user must provide
// (also what kwok would hide: it marks such pods Ready anyway), a profile switch that would
// change immutable volume templates, a StorageClass the cluster lacks, a spec the CRD takes
// but the cross-field rules refuse, and a field another manager owns.
import { afterEach, describe, expect, it } from 'vitest';
import { API_VERSION, KIND } from '../../contracts/spec/schema.ts';
import { reconcile } from '../../infra/cluster/reconcile.ts';
import { adminKube, kubectl, removeNamespace, specFile, stackSpec, tracelab, uniqueName } from '../support/cluster.ts';
import { EXTERNAL_DATASTORES } from '../support/specs.ts';

const kube = adminKube();
let namespace = '';
const fresh = (prefix: string) => {
  namespace = uniqueName(prefix);
  return namespace;
};
const up = (spec: string, ...flags: string[]) => tracelab(['up', '--spec', specFile(spec), '--cluster', 'existing', '--timeout', '3m', ...flags]);

afterEach(async () => {
  if (namespace && (await kube.get('v1', 'Namespace', undefined, namespace))) await removeNamespace(namespace);
}, 120_000);

describe('tracelab up reports problems with the failing object, its events and the fix', () => {
  it('a component that never becomes ready: the stage times out naming the pod, its state and its events', async () => {
    const ns = fresh('never');
    // More CPU than any node has: the scheduler leaves the pod Pending, as on a laptop too small.
    const spec = stackSpec(
      'lab',
      ns,
      '  topologies: [{ topology: baseline }]\n  datastores: { clickhouse: { resources: { requests: { cpu: "200", memory: 1Gi }, limits: { cpu: "200", memory: 2Gi } } } }',
    );
    // Long enough for the other datastores to come up on a busy machine, so only clickhouse is blamed.
    const result = await up(spec, '--stage-timeout', '30s');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/StageTimeout: stage datastores is not ready after \d+s/);
    expect(result.stderr).toMatch(/StatefulSet\/clickhouse: 0\/1 ready/);
    expect(result.stderr).toMatch(/pod clickhouse-0: Pending; PodScheduled=False Unschedulable: 0\/2 nodes are available: 2 Insufficient cpu/);
    // The scheduler's events trail its verdict on the pod (above); they are listed as they are.
    expect(result.stderr).toMatch(/events of Pod\/clickhouse-0 \(last \d\):\n {4}Warning FailedScheduling: 0\/2 nodes are available/);
    expect(result.stderr).toMatch(/logs: none \(the pod was never scheduled\)/);
    // The ready ones are not blamed.
    expect(result.stderr).not.toMatch(/StatefulSet\/postgres/);
    const status = await tracelab(['status', '--name', 'lab', '--namespace', ns]);
    expect(status.stdout).toMatch(/Degraded {5}True {3}StageTimeout: stage datastores is not ready/);
  });

  it('a Secret the user must provide: named with the command that creates it; with it, up goes on', async () => {
    const ns = fresh('secrets');
    const spec = EXTERNAL_DATASTORES.replace('spec:\n', `spec:\n  namespace: ${ns}\n`);
    const result = await up(spec);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(
        `MissingSecret: Secret rds does not exist \\(external Postgres DATABASE_URL\\); create it: kubectl -n ${ns} create secret generic rds --from-literal=url=\\.\\.\\.`,
      ),
    );
    expect(result.stderr).toMatch(/Secret clickhouse-creds does not exist/);
    expect(result.stderr).toMatch(/Secret elasticache does not exist/);
    for (const [secret, key] of [
      ['rds', 'url'],
      ['clickhouse-creds', 'password'],
      ['elasticache', 'auth'],
    ]) {
      expect((await kubectl(['-n', ns, 'create', 'secret', 'generic', secret, `--from-literal=${key}=x`])).code).toBe(0);
    }
    const again = await up(spec);
    expect(again.code, again.stdout + again.stderr).toBe(0);
  });

  it('switching profiles on a live stack: the immutable volume templates are named, with the way out', async () => {
    const ns = fresh('switch');
    const kind = stackSpec('lab', ns, '  topologies: [{ topology: baseline }]');
    expect((await up(kind)).code).toBe(0);
    const eks = stackSpec(
      'lab',
      ns,
      '  profile: eks\n  topologies: [{ topology: baseline }]\n  datastores: { clickhouse: { mode: in-cluster }, objectStore: { mode: in-cluster } }',
    );
    const result = await up(eks);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/ImmutableField: StatefulSet\/\w[\w-]* cannot change in place: spec\.volumeClaimTemplates is immutable/);
    expect(result.stderr).toMatch(/switching profiles \(kind ↔ eks\) or storage settings on an existing stack/);
    expect(result.stderr).toMatch(new RegExp(`kubectl -n ${ns} delete statefulset \\w+ && kubectl -n ${ns} delete pvc -l app.kubernetes.io/name=\\w+`));
  });

  it('a StorageClass the cluster lacks: said before any PVC hangs', async () => {
    const ns = fresh('class');
    const result = await up(
      stackSpec('lab', ns, '  topologies: [{ topology: baseline }]\n  datastores: { postgres: { storage: { size: 1Gi, storageClassName: fast-ssd } } }'),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /MissingStorageClass: StorageClass "fast-ssd" \(spec\.datastores\.postgres\.storage\.storageClassName\) does not exist in the cluster: create it, or name one that exists/,
    );
  });

  it('a TraceLab the CRD accepts but the spec rules refuse: Degraded InvalidSpec, every problem listed', async () => {
    const ns = fresh('invalid');
    await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    // Written with kubectl, as an operator user would: no local validation on the way.
    const applied = await kubectl(['apply', '--server-side', '-n', ns, '-f', '-'], stackSpec('lab', ns, '  topologies: [{ topology: inprocess }]'));
    expect(applied.code, applied.stderr).toBe(0);
    const result = await reconcile(kube, { namespace: ns, name: 'lab' });
    const degraded = result.status?.conditions?.find((c) => c.type === 'Degraded');
    expect(degraded).toMatchObject({ status: 'True', reason: 'InvalidSpec' });
    expect(degraded?.message).toMatch(/spec\.topologies: needs a "baseline" entry/);
    expect(result.requeueAfterMs).toBeUndefined(); // nothing to retry until someone edits it
  });

  it('a field another manager owns: the conflict is reported with the manager, not forced', async () => {
    const ns = fresh('conflict');
    const spec = stackSpec('lab', ns, '  topologies: [{ topology: baseline }]');
    expect((await up(spec)).code).toBe(0);
    const other = await kubectl(
      ['apply', '--server-side', '--field-manager=capacity-team', '--force-conflicts', '-f', '-'],
      `apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: app-baseline, namespace: ${ns} }\nspec: { replicas: 3 }\n`,
    );
    expect(other.code, other.stderr).toBe(0);
    const result = await up(spec);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/FieldConflict: Deployment\/app-baseline: Apply failed with 1 conflict: conflict with "capacity-team": \.spec\.replicas/);
    expect(result.stderr).toMatch(/tracelab does not take fields over by force/);
    const deployment = await kube.get('apps/v1', 'Deployment', ns, 'app-baseline');
    expect(deployment?.spec.replicas).toBe(3);
    expect((await kube.get(API_VERSION, KIND, ns, 'lab'))?.status.phase).toBe('Degraded');
  });
});
