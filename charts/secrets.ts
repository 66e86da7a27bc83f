// The Secrets the stack reads. Synthesized YAML only references them by name and key;
// values are generated at apply time (cluster reconciler) or provided by the user.
import { LANGFUSE_SECRETS } from '../contracts/langfuse-env.ts';
import type { Spec } from '../contracts/spec/schema.ts';

/** How the apply step fills a key it generates. Hex only: URL-special characters break Langfuse migrations. */
export type KeyRule =
  | { readonly generate: 'hex'; readonly bytes: number; readonly prefix?: string }
  | { readonly derive: 'basic-auth'; readonly user: string; readonly password: string };

export interface RequiredSecret {
  readonly name: string;
  readonly purpose: string;
  /** key → rule; `provided` when the user creates the Secret (external datastores). */
  readonly keys: Readonly<Record<string, KeyRule | 'provided'>>;
}

export const SECRET = {
  langfuse: LANGFUSE_SECRETS.server,
  init: LANGFUSE_SECRETS.init,
  postgres: 'tracelab-postgres',
  clickhouse: 'tracelab-clickhouse',
  redis: 'tracelab-redis',
  objectStore: 'tracelab-objectstore',
} as const;

const hex = (bytes: number, prefix?: string): KeyRule => ({ generate: 'hex', bytes, prefix });

/** Every Secret a pod synthesized from `spec` may reference, with the keys it reads. */
export function requiredSecrets(spec: Spec): RequiredSecret[] {
  const { datastores: ds } = spec;
  const out: RequiredSecret[] = [
    {
      name: SECRET.langfuse,
      purpose: 'Langfuse server keys (SALT, ENCRYPTION_KEY = 64 hex chars, NEXTAUTH_SECRET)',
      keys: { salt: hex(32), encryptionKey: hex(32), nextauthSecret: hex(32) },
    },
    {
      name: SECRET.init,
      purpose: 'headless-init project API keys, used by apps and collectors',
      keys: {
        publicKey: hex(16, 'pk-lf-'),
        secretKey: hex(16, 'sk-lf-'),
        basicAuth: { derive: 'basic-auth', user: 'publicKey', password: 'secretKey' },
        ...(spec.langfuse.init.userEmail ? { userPassword: hex(16) } : {}),
      },
    },
  ];
  const provided = (name: string, keys: string[], purpose: string) =>
    out.push({ name, purpose, keys: Object.fromEntries(keys.map((k) => [k, 'provided' as const])) });

  if (ds.postgres.mode === 'in-cluster') out.push({ name: SECRET.postgres, purpose: 'Postgres password', keys: { password: hex(24) } });
  else provided(ds.postgres.urlSecretRef.name, [ds.postgres.urlSecretRef.key], 'external Postgres DATABASE_URL');

  if (ds.clickhouse.mode === 'in-cluster') out.push({ name: SECRET.clickhouse, purpose: 'ClickHouse password', keys: { password: hex(24) } });
  else provided(ds.clickhouse.passwordSecretRef.name, [ds.clickhouse.passwordSecretRef.key], 'external ClickHouse password');

  if (ds.redis.mode === 'in-cluster') out.push({ name: SECRET.redis, purpose: 'Redis password', keys: { password: hex(24) } });
  else if (ds.redis.passwordSecretRef) provided(ds.redis.passwordSecretRef.name, [ds.redis.passwordSecretRef.key], 'external Redis password');

  if (ds.objectStore.mode === 'in-cluster') {
    out.push({ name: SECRET.objectStore, purpose: 'object store credentials', keys: { accessKeyId: hex(10), secretAccessKey: hex(24) } });
  } else if (ds.objectStore.credentialsSecretName) {
    provided(ds.objectStore.credentialsSecretName, ['accessKeyId', 'secretAccessKey'], 'external S3 credentials');
  }
  const tls = spec.langfuse.ingress?.tlsSecretName;
  if (tls) provided(tls, ['tls.crt', 'tls.key'], 'TLS certificate of the Langfuse Ingress');
  return mergeByName(out);
}

/** Two refs to one user Secret (e.g. several keys) become one entry. */
function mergeByName(list: RequiredSecret[]): RequiredSecret[] {
  const byName = new Map<string, RequiredSecret>();
  for (const s of list) {
    const prior = byName.get(s.name);
    byName.set(s.name, prior ? { ...prior, keys: { ...prior.keys, ...s.keys }, purpose: `${prior.purpose}; ${s.purpose}` } : s);
  }
  return [...byName.values()];
}
