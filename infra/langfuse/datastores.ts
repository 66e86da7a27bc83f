// Langfuse's four backends as private processes on 127.0.0.1: Postgres, Redis, MinIO, and the
// ClickHouse engine behind its HTTP front (apps/clickhouse-front). Each start waits until the
// store answers, bounded in time, and fails with the store's own log.
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { type DaemonRecord, isAlive, logTail, startDaemon } from './daemon.ts';
import type { Prerequisites } from './prerequisites.ts';
import { ensureBucket } from './s3-bucket.ts';
import type { LocalSecrets } from './secrets.ts';
import { REPO_ROOT } from './source.ts';

export const BUCKET = 'langfuse';
export const S3_REGION = 'us-east-1';
export const CLICKHOUSE_USER = 'clickhouse';
/** The ClickHouse whose defaults the engine uses: the version Langfuse's compose file runs. */
export const CLICKHOUSE_COMPATIBILITY = '25.12';

export interface StoreContext {
  readonly dir: string;
  readonly logs: string;
  readonly tools: Prerequisites;
  readonly secrets: LocalSecrets;
  /** Environment without anything of the caller's that could redirect a store. */
  readonly baseEnv: Record<string, string>;
  /** CPUs every process of the instance is pinned to (taskset), e.g. the lab's support core. */
  readonly cpus?: string;
}

export interface Started {
  readonly daemon: DaemonRecord;
  readonly port: number;
}

/** Waits until `check` passes, the daemon dies (error with its log), or `timeoutMs` passes; says so every 15 s. */
export async function waitFor(
  what: string,
  daemon: DaemonRecord,
  check: () => Promise<boolean>,
  timeoutMs: number,
  progress?: (line: string) => void,
): Promise<void> {
  const started = Date.now();
  const deadline = started + timeoutMs;
  let nextNote = started + 15_000;
  while (Date.now() < deadline) {
    if (progress && Date.now() >= nextNote) {
      progress(`  waiting for ${what}... ${Math.round((Date.now() - started) / 1000)}s`);
      nextNote += 15_000;
    }
    if (!isAlive(daemon)) throw new Error(`${what} exited while starting; its log (${daemon.logFile}) ends:\n${logTail(daemon.logFile)}`);
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not become ready within ${Math.round(timeoutMs / 1000)} s; its log (${daemon.logFile}) ends:\n${logTail(daemon.logFile)}`);
}

const httpOk = (url: string) => async () => (await fetch(url, { signal: AbortSignal.timeout(2000) })).ok;

/** Postgres refuses to run as root: as root, its files and process belong to the `postgres` user. */
const asRoot = () => process.getuid?.() === 0;
const asPostgres = (command: string, args: string[]): [string, string[]] =>
  asRoot() ? ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', command, ...args]] : [command, args];

/** As root the data lives where the postgres user can reach it (not under /root). */
export function postgresDataDir(ctx: Pick<StoreContext, 'dir'>): string {
  return asRoot() ? `/var/tmp/tracelab-postgres-${Buffer.from(ctx.dir).toString('hex').slice(-24)}` : join(ctx.dir, 'postgres');
}

export async function startPostgres(ctx: StoreContext, port: number): Promise<Started> {
  const root = postgresDataDir(ctx);
  const data = join(root, 'data');
  mkdirSync(root, { recursive: true, mode: 0o700 });
  if (asRoot()) {
    const ids = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    if (ids.status !== 0) throw new Error('running as root, Postgres needs the system user "postgres" (created by the Debian postgresql package)');
    const uid = Number(ids.stdout.trim());
    const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    chownSync(root, uid, gid);
  }
  if (!existsSync(join(data, 'PG_VERSION'))) {
    const pwfile = join(root, 'pwfile');
    writeFileSync(pwfile, ctx.secrets.postgresPassword, { mode: 0o600 });
    if (asRoot()) spawnSync('chown', ['postgres:postgres', pwfile]);
    const [cmd, args] = asPostgres(ctx.tools.initdb, ['-D', data, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8', '--no-locale']);
    const init = spawnSync(cmd, args, { encoding: 'utf8', env: ctx.baseEnv, timeout: 120_000 });
    rmSync(pwfile, { force: true });
    if (init.status !== 0) throw new Error(`initdb failed (exit ${init.status}):\n${init.stderr}${init.stdout}`);
  }
  // A lab database: durability is traded for speed (424 migrations, constant ingestion).
  const [cmd, args] = asPostgres(ctx.tools.postgres, [
    '-D',
    data,
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    `unix_socket_directories=${root}`,
    '-c',
    'max_connections=200',
    '-c',
    'fsync=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'full_page_writes=off',
    '-c',
    'timezone=UTC',
  ]);
  const daemon = startDaemon({
    cpus: ctx.cpus,
    name: 'postgres',
    command: cmd,
    args,
    env: ctx.baseEnv,
    logFile: join(ctx.logs, 'postgres.log'),
    stopSignal: 'SIGINT',
  });
  const env = { ...ctx.baseEnv, PGPASSWORD: ctx.secrets.postgresPassword };
  await waitFor(
    'Postgres',
    daemon,
    async () => spawnSync(ctx.tools.psql, ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-tAc', 'select 1'], { env, timeout: 5000 }).status === 0,
    60_000,
  );
  return { daemon, port };
}

export async function startRedis(ctx: StoreContext, port: number): Promise<Started> {
  const dir = join(ctx.dir, 'redis');
  mkdirSync(dir, { recursive: true });
  // Config file, not arguments: the password stays out of `ps`. noeviction: an evicted queue
  // job is a trace that silently never arrives.
  const conf = join(dir, 'redis.conf');
  writeFileSync(
    conf,
    [
      `bind 127.0.0.1`,
      `port ${port}`,
      `requirepass ${ctx.secrets.redisPassword}`,
      'maxmemory-policy noeviction',
      `dir ${dir}`,
      'save ""',
      'appendonly no',
      'protected-mode yes',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  chmodSync(conf, 0o600);
  const daemon = startDaemon({ cpus: ctx.cpus, name: 'redis', command: ctx.tools.redis, args: [conf], env: ctx.baseEnv, logFile: join(ctx.logs, 'redis.log') });
  await waitFor('Redis', daemon, () => redisPing(port, ctx.secrets.redisPassword), 30_000);
  return { daemon, port };
}

function redisPing(port: number, password: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.setTimeout(2000, () => socket.destroy());
    socket.on('connect', () => socket.write(`AUTH ${password}\r\nPING\r\n`));
    socket.on('data', (d) => {
      answer += d.toString();
      if (answer.includes('PONG')) socket.end();
    });
    socket.on('close', () => resolve(answer.includes('+OK') && answer.includes('+PONG')));
    socket.on('error', () => resolve(false));
  });
}

export async function startMinio(ctx: StoreContext, port: number, consolePort: number): Promise<Started> {
  const data = join(ctx.dir, 'minio');
  mkdirSync(data, { recursive: true });
  const daemon = startDaemon({
    cpus: ctx.cpus,
    name: 'minio',
    command: ctx.tools.minio,
    args: ['server', data, '--address', `127.0.0.1:${port}`, '--console-address', `127.0.0.1:${consolePort}`, '--quiet'],
    env: {
      ...ctx.baseEnv,
      MINIO_ROOT_USER: ctx.secrets.s3AccessKeyId,
      MINIO_ROOT_PASSWORD: ctx.secrets.s3SecretAccessKey,
      MINIO_BROWSER: 'off',
      MINIO_UPDATE: 'off',
    },
    logFile: join(ctx.logs, 'minio.log'),
  });
  const endpoint = `http://127.0.0.1:${port}`;
  await waitFor('MinIO', daemon, httpOk(`${endpoint}/minio/health/ready`), 60_000);
  await ensureBucket(endpoint, BUCKET, { accessKeyId: ctx.secrets.s3AccessKeyId, secretAccessKey: ctx.secrets.s3SecretAccessKey, region: S3_REGION });
  return { daemon, port };
}

export async function startClickhouseFront(ctx: StoreContext, port: number, record?: string): Promise<Started> {
  const data = join(ctx.dir, 'clickhouse');
  mkdirSync(data, { recursive: true });
  const daemon = startDaemon({
    cpus: ctx.cpus,
    name: 'clickhouse-front',
    command: ctx.tools.python,
    args: [join(REPO_ROOT, 'apps/clickhouse-front/server.py')],
    env: {
      ...ctx.baseEnv,
      FRONT_HOST: '127.0.0.1',
      FRONT_PORT: String(port),
      FRONT_DATA: data,
      FRONT_USER: CLICKHOUSE_USER,
      FRONT_PASSWORD: ctx.secrets.clickhousePassword,
      FRONT_COMPATIBILITY: CLICKHOUSE_COMPATIBILITY,
      TZ: 'UTC',
      ...(record ? { FRONT_RECORD: record } : {}),
    },
    logFile: join(ctx.logs, 'clickhouse-front.log'),
  });
  await waitFor('ClickHouse front', daemon, httpOk(`http://127.0.0.1:${port}/ping`), 60_000);
  return { daemon, port };
}
