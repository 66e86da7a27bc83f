// The lifecycle of one stack, as a platform engineer drives it with the CLI, on a real API
// server with kwok nodes: up reaches Ready; a second reconcile changes nothing; diff shows a
// changed field without changing anything; removing a topology prunes exactly its objects;
// a k6 Job resumed by someone else stays theirs; down leaves nothing behind.
// Not here (no container engine): the kind cluster and image steps of `up`, which run only
// with --cluster kind; `--cluster existing` is the path a staging cluster takes anyway.
import { afterAll, describe, expect, it } from 'vitest';
import { API_VERSION, KIND } from '../../contracts/spec/schema.ts';
import { ownerSelector } from '../../infra/cluster/desired.ts';
import { ownedObjects } from '../../infra/cluster/inventory.ts';
import type { KubeObject } from '../../infra/cluster/kube.ts';
import { reconcile } from '../../infra/cluster/reconcile.ts';
import { adminKube, kubectl, removeNamespace, specFile, stackSpec, tracelab, uniqueName, until } from '../support/cluster.ts';

const kube = adminKube();
const namespace = uniqueName('up');
const name = 'lab';
const ref = { namespace, name };
const topologies = (list: string[]) => `  topologies: [${list.map((t) => `{ topology: ${t} }`).join(', ')}]`;
const spec = specFile(stackSpec(name, namespace, topologies(['baseline', 'inprocess', 'sidecar'])));

const versions = async () =>
  Object.fromEntries((await ownedObjects(kube, namespace, name)).map((o) => [`${o.kind}/${o.metadata.name}`, o.metadata.resourceVersion]));
const secretValues = async () =>
  Object.fromEntries(
    (await kube.list('v1', 'Secret', namespace, { labelSelector: ownerSelector(name) })).map((s) => [s.metadata.name, s.data as Record<string, string>]),
  );

describe('tracelab up → diff → up → down on a real API server', () => {
  let firstSecrets: Record<string, Record<string, string>>;

  it('up reaches Ready stage by stage and says where the UI and the keys are, printing no secret', async () => {
    const result = await tracelab(['up', '--spec', spec, '--cluster', 'existing', '--stage-timeout', '90s', '--timeout', '5m']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const stages = [...result.stdout.matchAll(/stage (\w+): waiting/g)].map((m) => m[1]);
    expect([...new Set(stages)]).toEqual(expect.arrayContaining(['datastores', 'web']));
    expect(stages.indexOf('web')).toBeGreaterThan(stages.indexOf('datastores'));
    expect(result.stdout).toMatch(/Ready: every component is up/);
    expect(result.stdout).toMatch(/Langfuse: http:\/\/localhost:3000/);
    expect(result.stdout).toContain(`kubectl -n ${namespace} get secret tracelab-langfuse-init -o jsonpath='{.data.publicKey}' | base64 -d`);

    const object = await kube.get(API_VERSION, KIND, namespace, name);
    expect(object!.status).toMatchObject({ phase: 'Ready', observedGeneration: object!.metadata.generation });
    expect(object!.status.components.every((c: { ready: boolean }) => c.ready)).toBe(true);
    expect(object!.metadata.finalizers).toContain('tracelab.dev/cleanup');

    firstSecrets = await secretValues();
    expect(Object.keys(firstSecrets).sort()).toEqual(
      ['tracelab-clickhouse', 'tracelab-langfuse', 'tracelab-langfuse-init', 'tracelab-objectstore', 'tracelab-postgres', 'tracelab-redis'].sort(),
    );
    const encryptionKey = Buffer.from(firstSecrets['tracelab-langfuse'].encryptionKey, 'base64').toString();
    expect(encryptionKey).toMatch(/^[0-9a-f]{64}$/);
    for (const data of Object.values(firstSecrets)) {
      for (const value of Object.values(data)) expect(result.stdout + result.stderr).not.toContain(Buffer.from(value, 'base64').toString());
    }
  });

  it('status shows the conditions and every component', async () => {
    const result = await tracelab(['status', '--name', name, '--namespace', namespace]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/TraceLab .*: Ready/);
    expect(result.stdout).toMatch(/Ready {8}True {3}AllStagesReady/);
    expect(result.stdout).toMatch(/StatefulSet\/clickhouse +datastores +ready +1\/1/);
    expect(result.stdout).toMatch(/Job\/k6-sidecar +loadtest +ready +suspended/);
  });

  it('a second reconcile changes nothing: no object, no status, no Secret is written', async () => {
    const before = await versions();
    const tracelabVersion = (await kube.get(API_VERSION, KIND, namespace, name))!.metadata.resourceVersion;
    const result = await reconcile(kube, ref);
    expect(result.status?.phase).toBe('Ready');
    expect(await versions()).toEqual(before);
    expect((await kube.get(API_VERSION, KIND, namespace, name))!.metadata.resourceVersion).toBe(tracelabVersion);
    // up again: the same, and the Secrets keep their values.
    const again = await tracelab(['up', '--spec', spec, '--cluster', 'existing', '--timeout', '2m']);
    expect(again.code, again.stderr).toBe(0);
    expect(await versions()).toEqual(before);
    expect(await secretValues()).toEqual(firstSecrets);
  });

  it('diff lists a changed field, computed by a server-side dry run, and changes nothing', async () => {
    const before = await versions();
    const changed = specFile(stackSpec(name, namespace, `${topologies(['baseline', 'inprocess', 'sidecar'])}\n  collector: { gateway: { replicas: 3 } }`));
    const result = await tracelab(['diff', '--spec', changed]);
    expect(result.code, result.stderr).toBe(0);
    // The TraceLab's new field, with what the CRD defaults around it.
    expect(result.stdout).toMatch(/~ TraceLab\/lab\n( {4}spec\.collector\..*\n)* {4}spec\.collector\.gateway\.replicas: \(none\) → 3\n/);
    expect(result.stdout).toMatch(/~ Deployment\/otel-gateway\n {4}spec\.replicas: 1 → 3/);
    expect(result.stdout).toMatch(/0 to create, 2 to change, 0 to delete/);
    expect(await versions()).toEqual(before);
    // And for the spec that is applied: nothing.
    expect((await tracelab(['diff', '--spec', spec])).stdout).toMatch(/No changes/);
  });

  it('removing a topology prunes exactly its objects and leaves every other object untouched', async () => {
    const before = await versions();
    const fewer = specFile(stackSpec(name, namespace, topologies(['baseline', 'inprocess'])));
    const result = await tracelab(['up', '--spec', fewer, '--cluster', 'existing', '--timeout', '3m']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/pruned .*Deployment\/app-sidecar/);
    const after = await versions();
    const gone = Object.keys(before).filter((k) => !(k in after));
    expect(gone.sort()).toEqual(['ConfigMap/app-sidecar-otel-sidecar-config', 'Deployment/app-sidecar', 'Job/k6-sidecar', 'Service/app-sidecar']);
    for (const [key, version] of Object.entries(after)) expect(version, key).toBe(before[key]);
    await until(
      'the sidecar app pods gone',
      30_000,
      async () => (await kube.list('v1', 'Pod', namespace, { labelSelector: 'app.kubernetes.io/name=app-sidecar' })).length === 0,
    );
  });

  it('a new load setting: diff says the k6 Jobs are replaced (their template is immutable), up replaces them', async () => {
    const faster = specFile(stackSpec(name, namespace, `${topologies(['baseline', 'inprocess'])}\n  load: { rate: 80 }`));
    const diff = await tracelab(['diff', '--spec', faster]);
    expect(diff.stdout).toMatch(/~ Job\/k6-baseline: replaced: its pod template is immutable/);
    const before = (await kube.get('batch/v1', 'Job', namespace, 'k6-baseline'))!.metadata.uid;
    const result = await tracelab(['up', '--spec', faster, '--cluster', 'existing', '--timeout', '3m']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const job = (await kube.get('batch/v1', 'Job', namespace, 'k6-baseline')) as KubeObject;
    expect(job.metadata.uid).not.toBe(before);
    expect(job.spec.suspend).toBe(true);
    expect(job.spec.template.spec.containers[0].env).toContainEqual({ name: 'RATE', value: '80' });
  });

  it('a k6 Job resumed by someone else stays resumed: tracelab no longer applies its suspend field', async () => {
    const patched = await kubectl(['-n', namespace, 'patch', 'job', 'k6-baseline', '--type', 'merge', '-p', '{"spec":{"suspend":false}}']);
    expect(patched.code, patched.stderr).toBe(0);
    const result = await reconcile(kube, ref);
    expect(result.status?.phase, JSON.stringify(result.status?.conditions)).toBe('Ready');
    const job = (await kube.get('batch/v1', 'Job', namespace, 'k6-baseline')) as KubeObject;
    expect(job.spec.suspend).toBe(false);
    // The other Jobs are still tracelab's, and still suspended.
    expect(((await kube.get('batch/v1', 'Job', namespace, 'k6-inprocess')) as KubeObject).spec.suspend).toBe(true);
  });

  it('down deletes the TraceLab and everything it made: objects, pods, Secrets, volumes, the namespace', async () => {
    const volumes = async () =>
      (await kube.request<{ items: KubeObject[] }>('GET', '/api/v1/persistentvolumes')).body.items.filter((pv) => pv.spec.claimRef?.namespace === namespace);
    expect((await volumes()).length).toBeGreaterThan(0);
    const result = await tracelab(['down', '--spec', spec, '--timeout', '2m']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(await kube.get(API_VERSION, KIND, namespace, name)).toBeUndefined();
    expect(await kube.get('v1', 'Namespace', undefined, namespace)).toBeUndefined();
    await until('the volumes released and deleted', 60_000, async () => (await volumes()).length === 0);
  });
});

afterAll(async () => {
  if (await kube.get('v1', 'Namespace', undefined, namespace)) await removeNamespace(namespace);
}, 120_000);
