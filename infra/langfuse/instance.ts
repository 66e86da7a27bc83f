// One local Langfuse instance per version per user: `up` builds (once) and starts datastores,
// migrates, starts worker and web with headless init and waits until the API answers with
// the generated keys; `down` stops exactly the processes its state file records.
// State: ${TRACELAB_LANGFUSE_STATE:-${XDG_STATE_HOME:-~/.local/state}/tracelab/langfuse-<version>}/
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { LANGFUSE_SECRETS } from '../../contracts/langfuse-env.ts';
import type { LangfuseMajor } from '../../contracts/spec/langfuse-versions.ts';
import type { Spec } from '../../contracts/spec/schema.ts';
import type { Progress } from '../tools/resolve.ts';
import { buildLangfuse, nodeFor } from './build.ts';
import { type DaemonRecord, isAlive, startDaemon, stopDaemon } from './daemon.ts';
import { postgresDataDir, type StoreContext, startClickhouseFront, startMinio, startPostgres, startRedis, waitFor } from './datastores.ts';
import { migrateClickhouse, migratePostgres } from './migrate.ts';
import { freeLowPort } from './ports.ts';
import { resolvePrerequisites } from './prerequisites.ts';
import { type LocalPorts, localServerEnv } from './server-env.ts';
import { loadOrCreateSecrets, writeKeysFile } from './secrets.ts';
import { langfuseSource } from './source.ts';

export interface InstanceState {
  readonly major: LangfuseMajor;
  readonly version: string;
  readonly baseUrl: string;
  readonly ports: LocalPorts;
  readonly keysFile: string;
  readonly startedAt: string;
  /** Seconds per phase of the last `up`. */
  readonly seconds: Record<string, number>;
  readonly daemons: DaemonRecord[];
}

export function instanceDir(major: LangfuseMajor, env: NodeJS.ProcessEnv = process.env): string {
  if (env.TRACELAB_LANGFUSE_STATE) return resolve(env.TRACELAB_LANGFUSE_STATE);
  const base = env.XDG_STATE_HOME || join(homedir(), '.local/state');
  return join(base, 'tracelab', `langfuse-${langfuseSource(major).version}`);
}

const stateFile = (dir: string) => join(dir, 'state.json');

export function readState(major: LangfuseMajor, env: NodeJS.ProcessEnv = process.env): InstanceState | undefined {
  const file = stateFile(instanceDir(major, env));
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as InstanceState) : undefined;
}

function saveState(dir: string, state: InstanceState): void {
  writeFileSync(stateFile(dir), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

/** A minimal environment for the instance's processes: nothing of the caller's Langfuse, database or proxy settings leaks in. */
function baseEnv(): Record<string, string> {
  const keep = ['PATH', 'HOME', 'LANG', 'USER', 'TMPDIR'];
  return { ...Object.fromEntries(keep.filter((k) => process.env[k]).map((k) => [k, process.env[k] as string])), TZ: 'UTC' };
}

export interface UpOptions {
  readonly spec: Spec;
  readonly progress: Progress;
  readonly env?: NodeJS.ProcessEnv;
  /** Record every ClickHouse request to this file (fixtures for the front's tests); env TRACELAB_CLICKHOUSE_RECORD does the same. */
  readonly recordClickhouse?: string;
  /** Pin every process to these CPUs (taskset list), e.g. "0" to keep the lab's app core free. */
  readonly cpus?: string;
  /** Replace values of the web/worker env (tests break the env contract on purpose). */
  readonly envOverrides?: Record<string, string>;
}

export async function up(options: UpOptions): Promise<InstanceState> {
  const env = options.env ?? process.env;
  const { spec, progress } = options;
  const major = spec.langfuse.version;
  const source = langfuseSource(major);
  const dir = instanceDir(major, env);
  const running = readState(major, env);
  if (running?.daemons.length && running.daemons.every(isAlive) && (await healthySoon(running.baseUrl))) {
    progress(`Langfuse ${source.version} is already running at ${running.baseUrl}`);
    return running;
  }
  if (running?.daemons.length) await down(major, { env, progress });

  const seconds: Record<string, number> = {};
  const timed = async <T>(name: string, action: () => Promise<T>): Promise<T> => {
    const started = Date.now();
    const result = await action();
    seconds[name] = Math.round((Date.now() - started) / 100) / 10;
    return result;
  };
  const build = await timed('build', () => buildLangfuse(source, progress, env));
  const tools = await timed('prerequisites', () => resolvePrerequisites(progress, env));
  const node = await nodeFor(progress, env);
  const logs = join(dir, 'logs');
  mkdirSync(logs, { recursive: true, mode: 0o700 });
  const secrets = loadOrCreateSecrets(dir);
  const ports: LocalPorts = {
    web: await freeLowPort(),
    worker: await freeLowPort(),
    postgres: await freeLowPort(),
    redis: await freeLowPort(),
    minio: await freeLowPort(),
    minioConsole: await freeLowPort(),
    clickhouse: await freeLowPort(),
  };
  const baseUrl = `http://127.0.0.1:${ports.web}`;
  const daemons: DaemonRecord[] = [];
  const state = (): InstanceState => ({
    major,
    version: source.version,
    baseUrl,
    ports,
    keysFile: join(dir, 'keys.env'),
    startedAt: new Date().toISOString(),
    seconds,
    daemons,
  });
  const ctx: StoreContext = { dir, logs, tools, secrets, baseEnv: baseEnv(), cpus: options.cpus };
  const started = (d: { daemon: DaemonRecord }) => {
    daemons.push(d.daemon);
    saveState(dir, state());
  };
  try {
    progress('Starting Postgres, Redis, MinIO and the ClickHouse engine on 127.0.0.1...');
    await timed('datastores', async () => {
      started(await startPostgres(ctx, ports.postgres));
      started(await startRedis(ctx, ports.redis));
      started(await startMinio(ctx, ports.minio, ports.minioConsole));
      started(await startClickhouseFront(ctx, ports.clickhouse, options.recordClickhouse ?? env.TRACELAB_CLICKHOUSE_RECORD));
    });
    await timed('migrations', async () => {
      await migratePostgres(
        build.src,
        { psql: tools.psql, port: ports.postgres, password: secrets.postgresPassword },
        join(logs, 'migrate-postgres.log'),
        progress,
      );
      await migrateClickhouse(build.src, { url: `http://127.0.0.1:${ports.clickhouse}`, user: 'clickhouse', password: secrets.clickhousePassword }, progress);
    });
    progress(`Starting Langfuse ${source.version} worker and web...`);
    await timed('langfuse', async () => {
      const serverEnv = (role: 'web' | 'worker') => ({ ...ctx.baseEnv, ...localServerEnv(spec, role, ports, secrets, baseUrl), ...options.envOverrides });
      const worker = startDaemon({
        name: 'langfuse-worker',
        command: node,
        args: [build.workerEntry],
        cwd: join(build.src, 'worker'),
        env: serverEnv('worker'),
        logFile: join(logs, 'worker.log'),
        cpus: options.cpus,
      });
      started({ daemon: worker });
      const web = startDaemon({
        name: 'langfuse-web',
        command: node,
        args: ['web/server.js', '--keepAliveTimeout', '110000'],
        cwd: join(build.webDir, '..'),
        env: serverEnv('web'),
        logFile: join(logs, 'web.log'),
        cpus: options.cpus,
      });
      started({ daemon: web });
      await waitFor(
        'Langfuse worker',
        worker,
        async () => (await fetch(`http://127.0.0.1:${ports.worker}/api/health`, { signal: AbortSignal.timeout(3000) })).ok,
        180_000,
      );
      await waitFor('Langfuse web', web, () => healthy(baseUrl), 180_000, progress);
      // Headless init has run once the project's keys authenticate.
      const init = secrets.langfuse[LANGFUSE_SECRETS.init];
      await waitFor('Langfuse headless init (project keys)', web, () => keysWork(baseUrl, init.publicKey, init.secretKey), 60_000, progress);
    });
    writeKeysFile(dir, baseUrl, secrets);
    saveState(dir, state());
    return state();
  } catch (error) {
    progress('Start failed; stopping what was started...');
    await down(major, { env, progress: () => {} });
    throw error;
  }
}

/** A just-started web can answer 503 for a moment: a few tries before calling a running instance unhealthy. */
async function healthySoon(baseUrl: string): Promise<boolean> {
  for (let attempt = 0; attempt < 5; attempt++) {
    if (await healthy(baseUrl)) return true;
    await new Promise((r) => setTimeout(r, 2000));
  }
  return false;
}

export async function healthy(baseUrl: string): Promise<boolean> {
  const response = await fetch(`${baseUrl}/api/public/health`, { signal: AbortSignal.timeout(5000) }).catch(() => undefined);
  return response?.ok === true;
}

async function keysWork(baseUrl: string, publicKey: string, secretKey: string): Promise<boolean> {
  const response = await fetch(`${baseUrl}/api/public/projects`, {
    headers: { authorization: `Basic ${Buffer.from(`${publicKey}:${secretKey}`).toString('base64')}` },
    signal: AbortSignal.timeout(10_000),
  });
  return response.ok;
}

export interface DownOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly progress: Progress;
  /** Also delete data and secrets (the next `up` starts from an empty instance). */
  readonly purge?: boolean;
}

/** Stops every recorded process, newest first; returns what each stop did. */
export async function down(major: LangfuseMajor, options: DownOptions): Promise<string[]> {
  const env = options.env ?? process.env;
  const dir = instanceDir(major, env);
  const state = readState(major, env);
  const outcomes: string[] = [];
  for (const daemon of [...(state?.daemons ?? [])].reverse()) {
    // The worker ignores SIGTERM for >10 s (FACTS.md); Postgres shuts down fast on SIGINT.
    const outcome = await stopDaemon(daemon, daemon.name === 'langfuse-worker' ? 15_000 : 20_000);
    outcomes.push(`${daemon.name} (pid ${daemon.pid}): ${outcome}`);
    options.progress(`  ${daemon.name}: ${outcome}`);
  }
  if (state) saveState(dir, { ...state, daemons: [] });
  if (options.purge) {
    rmSync(postgresDataDir({ dir }), { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
  return outcomes;
}
