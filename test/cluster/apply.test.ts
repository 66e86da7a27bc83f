// Given the shipped default spec (kind) and a staging spec (eks), when every object they
// synthesize is server-side applied for real — not a dry run — then the API server takes each
// one, and warns about nothing but the node agent's hostPort. The operator's manifests too.
import { afterAll, describe, expect, it } from 'vitest';
import { parseSpec } from '../../contracts/spec/read.ts';
import { renderCharts, renderOperator } from '../../charts/synthesize.ts';
import { installCrd } from '../../infra/cluster/install.ts';
import type { KubeObject } from '../../infra/cluster/kube.ts';
import { adminKube, removeNamespace, uniqueName } from '../support/cluster.ts';
import { DEFAULT_SPEC_TEXT, EKS_STAGING } from '../support/specs.ts';

const kube = adminKube();
const namespaces: string[] = [];

async function applyAll(objects: readonly KubeObject[]): Promise<string[]> {
  const warnings: string[] = [];
  for (const object of objects) {
    const result = await kube.apply(object);
    expect(result.object.metadata.uid, `${object.kind}/${object.metadata.name}`).toBeTruthy();
    warnings.push(...result.warnings.map((w) => `${object.kind}/${object.metadata.name}: ${w}`));
  }
  return warnings;
}

describe.each([
  ['the default spec (kind profile)', DEFAULT_SPEC_TEXT],
  ['a staging spec (eks profile)', EKS_STAGING],
])('every object synthesized from %s', (_label, text) => {
  it('applies with server-side apply; the only warning is the agent hostPort Pod Security restricted refuses', async () => {
    const doc = parseSpec(text);
    doc.spec.namespace = uniqueName(doc.spec.profile);
    namespaces.push(doc.spec.namespace);
    const objects = renderCharts(doc).flatMap((c) => c.objects as KubeObject[]);
    expect(objects.length).toBeGreaterThan(30);
    const warnings = await applyAll(objects);
    expect(
      warnings.every((w) => w.startsWith('DaemonSet/otel-agent:') && /hostPort/.test(w)),
      warnings.join('\n'),
    ).toBe(true);
    // All of it is there, as synthesized (the API server added defaults, removed nothing we set).
    for (const object of objects) {
      const live = await kube.get(object.apiVersion, object.kind, object.metadata.namespace, object.metadata.name);
      expect(live?.metadata.labels, `${object.kind}/${object.metadata.name}`).toMatchObject(object.metadata.labels ?? {});
    }
  });
});

describe("the operator's manifests", () => {
  it('apply with server-side apply, CRD first', async () => {
    await installCrd(kube);
    const doc = parseSpec(DEFAULT_SPEC_TEXT);
    doc.spec.namespace = uniqueName('operator');
    namespaces.push(doc.spec.namespace);
    const objects = renderOperator(doc).flatMap((c) => c.objects as KubeObject[]);
    expect(objects.map((o) => o.kind)).toEqual(['Namespace', 'ServiceAccount', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding', 'Deployment']);
    expect(await applyAll(objects)).toEqual([]);
  });
});

afterAll(async () => {
  for (const namespace of namespaces) await removeNamespace(namespace);
  for (const role of ['ClusterRole', 'ClusterRoleBinding']) {
    for (const namespace of namespaces) await kube.delete('rbac.authorization.k8s.io/v1', role, undefined, `tracelab-operator-${namespace}`);
  }
}, 180_000);
