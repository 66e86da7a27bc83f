// The Langfuse server environment (FACTS.md, "Env both containers need"), per role: one
// builder for the charts' web/worker Deployments and for the local Langfuse's processes, so a
// local run proves the env the charts synthesize boots Langfuse. Values are plain data: a
// literal, a Secret key reference (the chart renders it as secretKeyRef, the local target
// reads its generated secret), or a downward-API field.
import type { Spec } from './spec/schema.ts';

export type LangfuseEnvSource =
  | { readonly value: string }
  | { readonly secret: { readonly name: string; readonly key: string; readonly optional?: boolean } }
  | { readonly field: string };

/** Ordered: Kubernetes expands $(VAR) only for variables defined earlier in the list. */
export type LangfuseEnvList = ReadonlyArray<readonly [name: string, source: LangfuseEnvSource]>;

export const envValue = (v: string | number | boolean): LangfuseEnvSource => ({ value: String(v) });
export const envSecret = (name: string, key: string): LangfuseEnvSource => ({ secret: { name, key } });

/** The Secrets the server env reads, and their keys. */
export const LANGFUSE_SECRETS = {
  /** salt, encryptionKey (64 hex chars), nextauthSecret */
  server: 'tracelab-langfuse',
  /** publicKey, secretKey, userPassword: headless-init project keys */
  init: 'tracelab-langfuse-init',
} as const;

export type LangfuseRole = 'web' | 'worker';

/**
 * Variables Langfuse will not start without, per major and role. Tests check every
 * synthesized web/worker container and the local Langfuse's env against this list.
 */
export function requiredLangfuseEnv(version: 3 | 4, role: LangfuseRole): string[] {
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

/**
 * The env of one Langfuse server role. `backends` says where Postgres, ClickHouse, Redis and
 * S3 are (the chart's in-cluster stores or external services; the local target's processes).
 */
export function langfuseEnv(spec: Spec, role: LangfuseRole, backends: LangfuseEnvList): LangfuseEnvList {
  const lf = spec.langfuse;
  const env: Array<LangfuseEnvList[number]> = [
    ...backends,
    ['SALT', envSecret(LANGFUSE_SECRETS.server, 'salt')],
    ['ENCRYPTION_KEY', envSecret(LANGFUSE_SECRETS.server, 'encryptionKey')],
    ['NEXTAUTH_URL', envValue(lf.nextauthUrl)],
    ['TELEMETRY_ENABLED', envValue(lf.telemetryEnabled)],
    // Kubernetes sets HOSTNAME to the pod name, and both servers bind to HOSTNAME: without
    // this they listen on the pod name's address only and probes fail. (The local target
    // overrides it with 127.0.0.1.)
    ['HOSTNAME', envValue('0.0.0.0')],
  ];
  if (role === 'worker') return [...env, ['PORT', envValue(3030)]];

  env.push(['NEXTAUTH_SECRET', envSecret(LANGFUSE_SECRETS.server, 'nextauthSecret')], ['PORT', envValue(3000)]);
  // Headless init: org, project and API keys exist before anyone opens the UI.
  const init = lf.init;
  env.push(
    ['LANGFUSE_INIT_ORG_ID', envValue(init.orgId)],
    ['LANGFUSE_INIT_ORG_NAME', envValue(init.orgName)],
    ['LANGFUSE_INIT_PROJECT_ID', envValue(init.projectId)],
    ['LANGFUSE_INIT_PROJECT_NAME', envValue(init.projectName)],
    ['LANGFUSE_INIT_PROJECT_PUBLIC_KEY', envSecret(LANGFUSE_SECRETS.init, 'publicKey')],
    ['LANGFUSE_INIT_PROJECT_SECRET_KEY', envSecret(LANGFUSE_SECRETS.init, 'secretKey')],
  );
  if (init.retentionDays) env.push(['LANGFUSE_INIT_PROJECT_RETENTION', envValue(init.retentionDays)]);
  if (init.userEmail) {
    env.push(
      ['LANGFUSE_INIT_USER_EMAIL', envValue(init.userEmail)],
      ['LANGFUSE_INIT_USER_NAME', envValue('tracelab')],
      ['LANGFUSE_INIT_USER_PASSWORD', envSecret(LANGFUSE_SECRETS.init, 'userPassword')],
    );
  }
  return env;
}
