// The Secrets a stack reads: tracelab generates its own once (random hex, never printed or
// written to disk) and keeps them on every later reconcile — the datastores' data was
// initialised with those passwords. Secrets the user provides (external datastores, TLS) are
// only checked, with the command that creates them when one is missing.
import { randomBytes } from 'node:crypto';
import { requiredSecrets, type KeyRule, type RequiredSecret } from '../../charts/synthesize.ts';
import type { Spec } from '../../contracts/spec/schema.ts';
import { KubeError, type Kube, type KubeObject } from './kube.ts';

export interface SecretsReport {
  /** Secret names created in this pass (values never leave this module). */
  readonly created: readonly string[];
  /** One line per missing user Secret or key, saying how to create it. */
  readonly missing: readonly string[];
}

function generate(rule: Exclude<KeyRule, 'provided'>, values: Record<string, string>): string {
  if ('generate' in rule) return `${rule.prefix ?? ''}${randomBytes(rule.bytes).toString('hex')}`;
  return Buffer.from(`${values[rule.user]}:${values[rule.password]}`).toString('base64');
}

const decode = (data: Record<string, string> | undefined) =>
  Object.fromEntries(Object.entries(data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));
const encode = (values: Record<string, string>) => Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Buffer.from(v).toString('base64')]));

export async function ensureSecrets(
  kube: Kube,
  spec: Spec,
  labels: Record<string, string>,
  ownerReferences?: KubeObject['metadata']['ownerReferences'],
): Promise<SecretsReport> {
  const created: string[] = [];
  const missing: string[] = [];
  for (const secret of requiredSecrets(spec)) {
    const live = await kube.get('v1', 'Secret', spec.namespace, secret.name);
    const generated = Object.entries(secret.keys).filter((entry): entry is [string, Exclude<KeyRule, 'provided'>] => entry[1] !== 'provided');
    const provided = Object.keys(secret.keys).filter((k) => secret.keys[k] === 'provided');
    const have = decode(live?.data as Record<string, string> | undefined);
    const absent = provided.filter((k) => !(k in have));
    if (absent.length > 0) missing.push(describeMissing(spec.namespace, secret, live === undefined, absent));
    if (generated.length === 0) continue;

    // Basic-auth keys are derived from keys generated before them (their order in the rule list).
    const values = { ...have };
    const added: Record<string, string> = {};
    for (const [key, rule] of generated) {
      if (key in values) continue;
      values[key] = generate(rule, values);
      added[key] = values[key];
    }
    if (Object.keys(added).length === 0) continue;
    if (!live) {
      try {
        await kube.create({
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: secret.name, namespace: spec.namespace, labels, ownerReferences },
          type: 'Opaque',
          data: encode(added),
        });
        created.push(secret.name);
      } catch (error) {
        // Another reconciler created it between our read and write: theirs stands.
        if (!(error instanceof KubeError && error.status === 409)) throw error;
      }
    } else {
      // Only the keys a newer spec needs (e.g. userPassword once userEmail is set); never rewrite one.
      await kube.mergePatch('v1', 'Secret', spec.namespace, secret.name, { metadata: { resourceVersion: live.metadata.resourceVersion }, data: encode(added) });
    }
  }
  return { created, missing };
}

function describeMissing(namespace: string, secret: RequiredSecret, whole: boolean, keys: string[]): string {
  const what = whole ? `Secret ${secret.name} does not exist` : `Secret ${secret.name} has no key ${keys.join(', ')}`;
  const fix = whole
    ? `kubectl -n ${namespace} create secret generic ${secret.name} ${keys.map((k) => `--from-literal=${k}=...`).join(' ')}`
    : `kubectl -n ${namespace} patch secret ${secret.name} --type merge -p '{"stringData":{${keys.map((k) => `"${k}":"..."`).join(',')}}}'`;
  return `${what} (${secret.purpose}); create it: ${fix}`;
}
