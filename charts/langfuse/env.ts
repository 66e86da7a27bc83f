// The Langfuse server environment (FACTS.md, "Env both containers need"), per role.
import type { Spec } from '../../contracts/spec/schema.ts';
import { fromSecret, value, type EnvList } from '../env.ts';
import { SECRET } from '../secrets.ts';

/**
 * Variables Langfuse will not start without, per major and role. Tests check every
 * synthesized web/worker container against this list.
 */
export function requiredLangfuseEnv(version: 3 | 4, role: 'web' | 'worker'): string[] {
  const common = [
    'DATABASE_URL',
    'SALT',
    'ENCRYPTION_KEY',
    'NEXTAUTH_URL',
    'CLICKHOUSE_URL',
    'CLICKHOUSE_MIGRATION_URL',
    'CLICKHOUSE_USER',
    'CLICKHOUSE_PASSWORD',
    'CLICKHOUSE_CLUSTER_ENABLED',
    'REDIS_HOST',
    'REDIS_PORT',
    'LANGFUSE_S3_EVENT_UPLOAD_BUCKET',
    'LANGFUSE_S3_EVENT_UPLOAD_REGION',
    'LANGFUSE_S3_MEDIA_UPLOAD_BUCKET',
    'LANGFUSE_S3_MEDIA_UPLOAD_REGION',
    'TELEMETRY_ENABLED',
  ];
  // v3 and v4 share the set today; the parameter keeps a place for a major that diverges.
  void version;
  return role === 'web' ? [...common, 'NEXTAUTH_SECRET'] : common;
}

export function langfuseEnv(spec: Spec, role: 'web' | 'worker', backends: EnvList): EnvList {
  const lf = spec.langfuse;
  const env: Array<EnvList[number]> = [
    ...backends,
    ['SALT', fromSecret(SECRET.langfuse, 'salt')],
    ['ENCRYPTION_KEY', fromSecret(SECRET.langfuse, 'encryptionKey')],
    ['NEXTAUTH_URL', value(lf.nextauthUrl)],
    ['TELEMETRY_ENABLED', value(lf.telemetryEnabled)],
    // Kubernetes sets HOSTNAME to the pod name, and both servers bind to HOSTNAME:
    // without this they listen on the pod name's address only and probes fail.
    ['HOSTNAME', value('0.0.0.0')],
  ];
  if (role === 'worker') return [...env, ['PORT', value(3030)]];

  env.push(['NEXTAUTH_SECRET', fromSecret(SECRET.langfuse, 'nextauthSecret')], ['PORT', value(3000)]);
  // Headless init: org, project and API keys exist before anyone opens the UI.
  const init = lf.init;
  env.push(
    ['LANGFUSE_INIT_ORG_ID', value(init.orgId)],
    ['LANGFUSE_INIT_ORG_NAME', value(init.orgName)],
    ['LANGFUSE_INIT_PROJECT_ID', value(init.projectId)],
    ['LANGFUSE_INIT_PROJECT_NAME', value(init.projectName)],
    ['LANGFUSE_INIT_PROJECT_PUBLIC_KEY', fromSecret(SECRET.init, 'publicKey')],
    ['LANGFUSE_INIT_PROJECT_SECRET_KEY', fromSecret(SECRET.init, 'secretKey')],
  );
  if (init.retentionDays) env.push(['LANGFUSE_INIT_PROJECT_RETENTION', value(init.retentionDays)]);
  if (init.userEmail) {
    env.push(
      ['LANGFUSE_INIT_USER_EMAIL', value(init.userEmail)],
      ['LANGFUSE_INIT_USER_NAME', value('tracelab')],
      ['LANGFUSE_INIT_USER_PASSWORD', fromSecret(SECRET.init, 'userPassword')],
    );
  }
  return env;
}
