// Given the generated CRD, when a real API server (1.37) gets it, then it is accepted, every
// valid spec of the matrix is a valid TraceLab, and a bad one is refused with the field path.
import { beforeAll, describe, expect, it } from 'vitest';
import { CRD_NAME } from '../../contracts/cluster-resource.ts';
import { installCrd, traceLabObject } from '../../infra/cluster/install.ts';
import { KubeError, type KubeObject } from '../../infra/cluster/kube.ts';
import { adminKube, uniqueName } from '../support/cluster.ts';
import { DEFAULT_SPEC_TEXT, EKS_STAGING, EXTERNAL_DATASTORES, LANGFUSE_V3 } from '../support/specs.ts';
import { parseSpec } from '../../contracts/spec/read.ts';

const kube = adminKube();
const namespace = uniqueName('crd');

/** Server-side dry run of a TraceLab; the API server's refusal, or undefined. */
async function refusal(object: KubeObject): Promise<string | undefined> {
  try {
    await kube.apply(object, { dryRun: true });
    return undefined;
  } catch (error) {
    if (error instanceof KubeError) return error.message;
    throw error;
  }
}

const tracelab = (spec: Record<string, unknown>, name = 'lab'): KubeObject => ({
  apiVersion: 'tracelab.dev/v1alpha1',
  kind: 'TraceLab',
  metadata: { name, namespace },
  spec,
});

describe('the TraceLab CRD on a real API server', () => {
  beforeAll(async () => {
    await installCrd(kube);
    await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  });

  it('is accepted and established, with its status subresource and short name', async () => {
    const crd = await kube.get('apiextensions.k8s.io/v1', 'CustomResourceDefinition', undefined, CRD_NAME);
    const conditions = crd!.status.conditions.map((c: { type: string; status: string }) => `${c.type}=${c.status}`);
    expect(conditions).toEqual(expect.arrayContaining(['Established=True', 'NamesAccepted=True']));
    expect(conditions).not.toContain('NonStructuralSchema=True');
    expect(crd!.spec.names.shortNames).toEqual(['tl']);
  });

  it.each([
    ['the default tracelab.yaml', DEFAULT_SPEC_TEXT],
    ['eks staging', EKS_STAGING],
    ['external datastores', EXTERNAL_DATASTORES],
    ['Langfuse v3 with two sidecar variants', LANGFUSE_V3],
  ])('accepts %s as written', async (_label, text) => {
    const doc = parseSpec(text);
    const object = traceLabObject(text, doc);
    expect(await refusal({ ...object, metadata: { ...object.metadata, namespace } })).toBeUndefined();
  });

  it.each([
    ['a value outside an enum', { profile: 'minikube' }, /spec\.profile: Unsupported value: "minikube": supported values: "kind", "eks"/],
    ['a wrong type', { load: { rate: 'fast' } }, /\.spec\.load\.rate: expected numeric \(int or float\), got string/],
    ['a value out of range', { load: { rate: 0 } }, /spec\.load\.rate: Invalid value: 0: spec\.load\.rate in body should be greater than or equal to 1/],
    [
      'a bad pattern',
      { collector: { batch: { timeout: '10 seconds' } } },
      /spec\.collector\.batch\.timeout: Invalid value: "10 seconds": spec\.collector\.batch\.timeout in body should match/,
    ],
    [
      'an external datastore without its secret',
      { datastores: { postgres: { mode: 'external' } } },
      /spec\.datastores\.postgres\.urlSecretRef: Required value: urlSecretRef is required when mode is external/,
    ],
    [
      'an in-cluster field on an external datastore',
      { datastores: { redis: { mode: 'external', host: 'r', image: 'valkey/valkey:8.1.10' } } },
      /spec\.datastores\.redis\.image: Invalid value: image is only allowed with mode: in-cluster/,
    ],
    ['an unknown field (strict field validation)', { collector: { gatway: {} } }, /\.spec\.collector\.gatway: field not declared in schema/],
  ])('refuses %s, naming the field', async (_label, spec, message) => {
    expect(await refusal(tracelab(spec))).toMatch(message);
  });

  it('refuses a name that cannot be a label value on every object of the stack', async () => {
    expect(await refusal(tracelab({}, `x${'a'.repeat(63)}`))).toMatch(/metadata\.name must be a DNS label/);
  });
});
