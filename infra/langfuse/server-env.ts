// The local Langfuse's web/worker env: the charts' builder (contracts/langfuse-env.ts) with
// local endpoints substituted for the in-cluster Services, and Secret references resolved
// from the instance's generated secrets. Only what has no cluster counterpart is added here.
import { type LangfuseEnvList, type LangfuseRole, envValue, langfuseEnv } from '../../contracts/langfuse-env.ts';
import type { Spec } from '../../contracts/spec/schema.ts';
import { BUCKET, CLICKHOUSE_USER, S3_REGION } from './datastores.ts';
import type { LocalSecrets } from './secrets.ts';

export interface LocalPorts {
  readonly web: number;
  readonly worker: number;
  readonly postgres: number;
  readonly redis: number;
  readonly minio: number;
  readonly minioConsole: number;
  readonly clickhouse: number;
}

/** Where the local stores are, in the shape the chart's Datastores construct hands Langfuse. */
export function localBackends(ports: LocalPorts, secrets: LocalSecrets): LangfuseEnvList {
  const env: Array<LangfuseEnvList[number]> = [
    ['DATABASE_URL', envValue(`postgresql://postgres:${secrets.postgresPassword}@127.0.0.1:${ports.postgres}/postgres`)],
    ['CLICKHOUSE_URL', envValue(`http://127.0.0.1:${ports.clickhouse}`)],
    // Required by Langfuse's env schema; migrations are applied over HTTP (migrate.ts), so
    // nothing dials this native-protocol URL.
    ['CLICKHOUSE_MIGRATION_URL', envValue(`clickhouse://127.0.0.1:${ports.clickhouse}`)],
    ['CLICKHOUSE_USER', envValue(CLICKHOUSE_USER)],
    ['CLICKHOUSE_PASSWORD', envValue(secrets.clickhousePassword)],
    ['CLICKHOUSE_CLUSTER_ENABLED', envValue(false)],
    ['REDIS_HOST', envValue('127.0.0.1')],
    ['REDIS_PORT', envValue(ports.redis)],
    ['REDIS_AUTH', envValue(secrets.redisPassword)],
  ];
  for (const [use, prefix] of [
    ['EVENT', 'events/'],
    ['MEDIA', 'media/'],
  ] as const) {
    const key = (k: string) => `LANGFUSE_S3_${use}_UPLOAD_${k}`;
    env.push(
      [key('BUCKET'), envValue(BUCKET)],
      [key('REGION'), envValue(S3_REGION)],
      [key('PREFIX'), envValue(prefix)],
      [key('FORCE_PATH_STYLE'), envValue(true)],
      [key('ENDPOINT'), envValue(`http://127.0.0.1:${ports.minio}`)],
      [key('ACCESS_KEY_ID'), envValue(secrets.s3AccessKeyId)],
      [key('SECRET_ACCESS_KEY'), envValue(secrets.s3SecretAccessKey)],
    );
  }
  return env;
}

/** Resolves the list to plain values; a Secret key the instance does not hold is an error. */
export function resolveEnv(list: LangfuseEnvList, secrets: LocalSecrets): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, source] of list) {
    if ('value' in source) out[name] = source.value;
    else if ('secret' in source) {
      const v = secrets.langfuse[source.secret.name]?.[source.secret.key];
      if (v === undefined && !source.secret.optional)
        throw new Error(`${name} reads Secret ${source.secret.name} key ${source.secret.key}, which the local instance does not hold`);
      if (v !== undefined) out[name] = v;
    } else throw new Error(`${name} comes from a Kubernetes field (${source.field}), which a local process has no counterpart for`);
  }
  return out;
}

export function localServerEnv(spec: Spec, role: LangfuseRole, ports: LocalPorts, secrets: LocalSecrets, baseUrl: string): Record<string, string> {
  const localSpec: Spec = { ...spec, langfuse: { ...spec.langfuse, nextauthUrl: baseUrl } };
  const env = resolveEnv(langfuseEnv(localSpec, role, localBackends(ports, secrets)), secrets);
  return {
    ...env,
    // Loopback instead of the pod's 0.0.0.0, and the ports chosen for this instance.
    ...(role === 'web' ? { HOSTNAME: '127.0.0.1', PORT: String(ports.web) } : { HOSTNAME: '127.0.0.1', PORT: String(ports.worker) }),
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    // Lab traces are written once: without this the worker reads ClickHouse once per
    // observation, which the one-at-a-time engine front drains at ~170 spans/s (FACTS.md).
    LANGFUSE_SKIP_INGESTION_CLICKHOUSE_READ_PROJECT_IDS: spec.langfuse.init.projectId,
  };
}
