// The alternative `up` for machines with Docker: Langfuse's official docker-compose.yml from
// the same pinned release archive, with its CHANGEME defaults replaced by this instance's
// generated secrets (passed as the env the file interpolates, never written into it) and
// the Langfuse images pinned to the exact release. Ends like the native path: a URL and a
// keys file. Untested on machines without a Docker engine (these work machines).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LANGFUSE_SECRETS } from '../../contracts/langfuse-env.ts';
import type { Spec } from '../../contracts/spec/schema.ts';
import type { Progress } from '../tools/resolve.ts';
import { runStep } from './run.ts';
import { loadOrCreateSecrets, writeKeysFile } from './secrets.ts';
import { buildDir, langfuseSource, releaseArchive } from './source.ts';

/** True when a Docker engine answers and the compose plugin is installed. */
export function dockerAvailable(): boolean {
  const info = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { encoding: 'utf8', timeout: 10_000 });
  const compose = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8', timeout: 10_000 });
  return info.status === 0 && compose.status === 0;
}

const project = (version: string) => `tracelab-langfuse-${version.replace(/\./g, '-')}`;

export async function composeUp(spec: Spec, dir: string, progress: Progress): Promise<{ baseUrl: string; keysFile: string }> {
  if (!dockerAvailable()) throw new Error('no Docker engine answers here (docker info failed); use `tracelab langfuse up` without --docker');
  const source = langfuseSource(spec.langfuse.version);
  const folder = join(buildDir(source), 'compose');
  mkdirSync(folder, { recursive: true });
  const composeFile = join(folder, 'docker-compose.yml');
  if (!existsSync(composeFile)) {
    const archive = await releaseArchive(source, progress);
    await runStep('extract docker-compose.yml', 'tar', ['-xzf', archive, '-C', folder, '--strip-components=1', '--wildcards', '*/docker-compose.yml'], {
      cwd: folder,
      logFile: join(folder, 'extract.log'),
      timeoutMs: 120_000,
      progress,
    });
  }
  const override = join(folder, 'tracelab.override.yml');
  writeFileSync(
    override,
    `services:\n  langfuse-web:\n    image: docker.io/langfuse/langfuse:${source.version}\n  langfuse-worker:\n    image: docker.io/langfuse/langfuse-worker:${source.version}\n`,
  );
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const secrets = loadOrCreateSecrets(dir);
  const server = secrets.langfuse[LANGFUSE_SECRETS.server];
  const init = secrets.langfuse[LANGFUSE_SECRETS.init];
  const { init: initSpec } = spec.langfuse;
  const env: Record<string, string> = {
    SALT: server.salt,
    ENCRYPTION_KEY: server.encryptionKey,
    NEXTAUTH_SECRET: server.nextauthSecret,
    TELEMETRY_ENABLED: String(spec.langfuse.telemetryEnabled),
    POSTGRES_PASSWORD: secrets.postgresPassword,
    DATABASE_URL: `postgresql://postgres:${secrets.postgresPassword}@postgres:5432/postgres`,
    CLICKHOUSE_PASSWORD: secrets.clickhousePassword,
    REDIS_AUTH: secrets.redisPassword,
    MINIO_ROOT_USER: secrets.s3AccessKeyId,
    MINIO_ROOT_PASSWORD: secrets.s3SecretAccessKey,
    ...Object.fromEntries(
      ['LANGFUSE_S3_EVENT_UPLOAD_', 'LANGFUSE_S3_MEDIA_UPLOAD_', 'LANGFUSE_S3_BATCH_EXPORT_'].flatMap((p) => [
        [`${p}ACCESS_KEY_ID`, secrets.s3AccessKeyId],
        [`${p}SECRET_ACCESS_KEY`, secrets.s3SecretAccessKey],
      ]),
    ),
    LANGFUSE_INIT_ORG_ID: initSpec.orgId,
    LANGFUSE_INIT_ORG_NAME: initSpec.orgName,
    LANGFUSE_INIT_PROJECT_ID: initSpec.projectId,
    LANGFUSE_INIT_PROJECT_NAME: initSpec.projectName,
    LANGFUSE_INIT_PROJECT_PUBLIC_KEY: init.publicKey,
    LANGFUSE_INIT_PROJECT_SECRET_KEY: init.secretKey,
  };
  progress(`docker compose up (project ${project(source.version)}; first pull takes minutes)...`);
  await runStep('docker compose up', 'docker', ['compose', '-p', project(source.version), '-f', composeFile, '-f', override, 'up', '-d', '--wait'], {
    cwd: folder,
    env,
    logFile: join(dir, 'compose.log'),
    timeoutMs: 20 * 60_000,
    progress,
  });
  // The official file publishes web on localhost:3000.
  const baseUrl = 'http://localhost:3000';
  return { baseUrl, keysFile: writeKeysFile(dir, baseUrl, secrets) };
}

export async function composeDown(spec: Spec, dir: string, progress: Progress): Promise<void> {
  const source = langfuseSource(spec.langfuse.version);
  const folder = join(buildDir(source), 'compose');
  await runStep('docker compose down', 'docker', ['compose', '-p', project(source.version), '-f', join(folder, 'docker-compose.yml'), 'down'], {
    cwd: folder,
    logFile: join(dir, 'compose.log'),
    timeoutMs: 5 * 60_000,
    progress,
  });
}
