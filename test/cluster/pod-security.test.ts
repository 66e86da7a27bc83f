// Pod Security `restricted` is what many staging namespaces enforce, and it rejected every
// pod tracelab synthesized before (FACTS.md). With the node agent off (its hostPort is the
// one thing restricted and baseline refuse), the namespace `up` creates enforces restricted,
// and every pod of the stack is admitted: the controllers could create them all, so it is Ready.
import { afterAll, describe, expect, it } from 'vitest';
import { adminKube, removeNamespace, specFile, stackSpec, tracelab, uniqueName } from '../support/cluster.ts';

const kube = adminKube();
const namespace = uniqueName('restricted');

describe('Pod Security restricted', () => {
  it('admits every pod of a stack without the node agent, and up reaches Ready in such a namespace', async () => {
    const spec = stackSpec(
      'lab',
      namespace,
      '  topologies: [{ topology: baseline }, { topology: inprocess }, { topology: collector }, { topology: sidecar }]\n  collector: { agent: { enabled: false } }',
    );
    const result = await tracelab(['up', '--spec', specFile(spec), '--cluster', 'existing', '--stage-timeout', '90s', '--timeout', '5m']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const labels = (await kube.get('v1', 'Namespace', undefined, namespace))?.metadata.labels;
    expect(labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(result.stdout).not.toMatch(/would violate PodSecurity/);
    const pods = await kube.list('v1', 'Pod', namespace);
    expect(pods.length).toBeGreaterThanOrEqual(8);
  });

  it('refuses a pod that is not restricted in that namespace (so the check above can fail)', async () => {
    const refused = await kube
      .apply({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'loose', namespace },
        spec: { containers: [{ name: 'c', image: 'busybox:1.37.0' }] },
      })
      .catch((error: Error) => error.message);
    expect(refused).toMatch(/violates PodSecurity "restricted:latest"/);
  });
});

afterAll(async () => {
  await tracelab(['down', '--name', 'lab', '--namespace', namespace, '--timeout', '2m']);
  if (await kube.get('v1', 'Namespace', undefined, namespace)) await removeNamespace(namespace);
}, 180_000);
