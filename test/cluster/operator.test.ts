// The operator as installed on its own (tracelab synth --operator), running with its own
// ServiceAccount's token — not as admin: its RBAC suffices to bring a TraceLab to Ready and
// clean it up, and denies reading Secrets outside its namespace. The process is the real CLI
// entry (`tracelab operator`); only the pod around it is missing (no container engine), so it
// runs on this machine with a kubeconfig holding the ServiceAccount token the pod would mount.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR } from '../../contracts/cluster-resource.ts';
import { parseSpec } from '../../contracts/spec/read.ts';
import { API_VERSION, KIND } from '../../contracts/spec/schema.ts';
import { renderOperator } from '../../charts/synthesize.ts';
import { installCrd } from '../../infra/cluster/install.ts';
import { Kube, KubeError, loadKubeConfig, type KubeObject } from '../../infra/cluster/kube.ts';
import { adminKube, kubeconfig, removeNamespace, uniqueName, until } from '../support/cluster.ts';
import { DEFAULT_SPEC_TEXT } from '../support/specs.ts';

const admin = adminKube();
const namespace = uniqueName('operator');
const root = new URL('../..', import.meta.url).pathname;
let operator: ChildProcess | undefined;
let output = '';
let asOperator: Kube;

/** A kubeconfig with the ServiceAccount's token, as the pod would have it mounted. */
async function serviceAccountKubeconfig(): Promise<string> {
  const { body } = await admin.request<{ status: { token: string } }>('POST', `/api/v1/namespaces/${namespace}/serviceaccounts/${OPERATOR.name}/token`, {
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } },
  });
  const ca = loadKubeConfig({ kubeconfig: kubeconfig() }).getCurrentCluster()!.caFile;
  const file = join(mkdtempSync(join(tmpdir(), 'tracelab-sa-')), 'kubeconfig');
  writeFileSync(
    file,
    `apiVersion: v1
kind: Config
clusters: [{ name: test, cluster: { server: "${admin.server}", certificate-authority: "${ca}" } }]
users: [{ name: operator, user: { token: "${body.status.token}" } }]
contexts: [{ name: operator, context: { cluster: test, user: operator, namespace: ${namespace} } }]
current-context: operator
`,
  );
  return file;
}

describe('the operator with its own ServiceAccount', () => {
  beforeAll(async () => {
    await installCrd(admin);
    const doc = parseSpec(DEFAULT_SPEC_TEXT);
    doc.spec.namespace = namespace;
    for (const object of renderOperator(doc).flatMap((c) => c.objects as KubeObject[])) await admin.apply(object);
    const file = await serviceAccountKubeconfig();
    asOperator = new Kube(loadKubeConfig({ kubeconfig: file }));
    // The namespace comes from the kubeconfig context, as POD_NAMESPACE would give it in the pod.
    operator = spawn(process.execPath, [join(root, 'scripts/tracelab.ts'), 'operator', '--kubeconfig', file, '--resync', '30s'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    operator.stdout?.on('data', (c: Buffer) => {
      output += c;
    });
    operator.stderr?.on('data', (c: Buffer) => {
      output += c;
    });
    await until('the operator watching', 30_000, async () => output.includes(`watching TraceLabs in namespace ${namespace}`));
  });

  it('reconciles a TraceLab applied with kubectl to Ready, using only the rights its Role grants', async () => {
    // As a user would write it for the operator: no spec.namespace, the resource's own is used.
    await admin.apply({
      apiVersion: API_VERSION,
      kind: KIND,
      metadata: { name: 'lab', namespace },
      spec: {
        topologies: [{ topology: 'baseline' }, { topology: 'collector' }],
        datastores: { postgres: { storage: { size: '1Gi', storageClassName: 'standard' } } },
      },
    });
    const status = await until('TraceLab Ready', 150_000, async () => {
      const object = await admin.get(API_VERSION, KIND, namespace, 'lab');
      return object?.status?.phase === 'Ready' ? object.status : undefined;
    });
    expect(status.components.map((c: { name: string }) => c.name)).toEqual(
      expect.arrayContaining(['StatefulSet/postgres', 'Deployment/langfuse-web', 'Deployment/app-collector']),
    );
    expect(output).not.toMatch(/forbidden/i);
  });

  it('may read the Secrets of its own namespace, and no others', async () => {
    expect((await asOperator.list('v1', 'Secret', namespace)).length).toBeGreaterThan(0);
    for (const other of ['default', 'kube-system']) {
      const denied = await asOperator.list('v1', 'Secret', other).catch((error) => error);
      expect(denied).toBeInstanceOf(KubeError);
      expect((denied as KubeError).status).toBe(403);
      expect((denied as KubeError).message).toMatch(
        new RegExp(`system:serviceaccount:${namespace}:${OPERATOR.name}" cannot list resource "secrets" in API group "" in the namespace "${other}"`),
      );
    }
    const cluster = await asOperator.get('v1', 'Namespace', undefined, 'default').catch((error) => error);
    expect((cluster as KubeError).status).toBe(403);
  });

  it('cleans up behind its finalizer when the TraceLab is deleted', async () => {
    await admin.delete(API_VERSION, KIND, namespace, 'lab');
    await until('TraceLab gone', 90_000, async () => !(await admin.get(API_VERSION, KIND, namespace, 'lab')));
    const left = await admin.list('apps/v1', 'StatefulSet', namespace);
    expect(left).toEqual([]);
    expect(await admin.list('v1', 'PersistentVolumeClaim', namespace)).toEqual([]);
  });

  it('stops cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => operator!.once('exit', (code) => resolve(code)));
    operator!.kill('SIGTERM');
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('still running'), 15_000))]);
    expect(code).toBe(0);
    operator = undefined;
  });
});

afterAll(async () => {
  operator?.kill('SIGKILL');
  await removeNamespace(namespace);
  for (const kind of ['ClusterRole', 'ClusterRoleBinding'])
    await admin.delete('rbac.authorization.k8s.io/v1', kind, undefined, `${OPERATOR.name}-${namespace}`);
}, 120_000);
