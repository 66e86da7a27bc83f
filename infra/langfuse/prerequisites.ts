// The programs the local Langfuse runs besides its own build, resolved like k6 and the
// collector: already installed, else cached, else installed from a package registry.
//   Postgres, Redis: Debian packages (installed with apt-get when running as root on Debian,
//     which is how CI's fresh machines get them; otherwise the error says what to install).
//   MinIO: built with Go from the module proxy into the cache (~5 min once).
//   The ClickHouse engine: chdb-core from PyPI into a venv, from a lock file with hashes.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Progress } from '../tools/resolve.ts';
import { MINIO } from '../tools/versions.ts';
import { runStep } from './run.ts';
import { REPO_ROOT, cacheRoot } from './source.ts';

const MINUTE = 60_000;

export interface Prerequisites {
  readonly initdb: string;
  readonly postgres: string;
  readonly psql: string;
  readonly redis: string;
  readonly minio: string;
  /** Python of the venv that has chdb-core. */
  readonly python: string;
}

export function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, command))) return join(dir, command);
  }
  return undefined;
}

/** Debian keeps the server binaries out of PATH, under /usr/lib/postgresql/<major>/bin. */
function postgresBin(name: string): string | undefined {
  const found = onPath(name);
  if (found) return found;
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const majors = readdirSync(base).sort((a, b) => Number(b) - Number(a));
  for (const major of majors) if (existsSync(join(base, major, 'bin', name))) return join(base, major, 'bin', name);
  return undefined;
}

async function aptInstall(pkg: string, why: string, progress: Progress, logDir: string): Promise<void> {
  const canApt = process.getuid?.() === 0 && onPath('apt-get') && process.env.TRACELAB_NO_APT !== '1';
  if (!canApt)
    throw new Error(
      `${why} is missing: install the ${pkg} package (Debian/Ubuntu: sudo apt-get install ${pkg}; macOS: brew install ${pkg.replace('-server', '')}) and retry`,
    );
  progress(`${why} not found: installing Debian package ${pkg} (apt-get; set TRACELAB_NO_APT=1 to refuse)`);
  const opts = { cwd: logDir, logFile: join(logDir, `apt-${pkg}.log`), timeoutMs: 10 * MINUTE, progress, env: { DEBIAN_FRONTEND: 'noninteractive' } };
  await runStep('apt-get update', 'apt-get', ['update', '-qq'], opts);
  await runStep(`apt-get install ${pkg}`, 'apt-get', ['install', '-y', '-qq', '--no-install-recommends', pkg], opts);
}

export async function resolvePrerequisites(progress: Progress, env: NodeJS.ProcessEnv = process.env): Promise<Prerequisites> {
  const tools = join(cacheRoot(env), 'tools');
  mkdirSync(tools, { recursive: true });
  if (!postgresBin('postgres') || !postgresBin('initdb') || !onPath('psql')) await aptInstall('postgresql', 'PostgreSQL', progress, tools);
  if (!onPath('redis-server')) await aptInstall('redis-server', 'Redis', progress, tools);
  const found = (name: string, get: () => string | undefined) => {
    const path = get();
    if (!path) throw new Error(`${name} is still missing after installing its package; install it by hand and retry`);
    return path;
  };
  return {
    initdb: found('initdb', () => postgresBin('initdb')),
    postgres: found('postgres', () => postgresBin('postgres')),
    psql: found('psql', () => onPath('psql')),
    redis: found('redis-server', () => onPath('redis-server')),
    minio: await resolveMinio(tools, progress, env),
    python: await resolveChdbPython(tools, progress, env),
  };
}

async function resolveMinio(tools: string, progress: Progress, env: NodeJS.ProcessEnv): Promise<string> {
  if (env.TRACELAB_MINIO) return env.TRACELAB_MINIO;
  const fromPath = onPath('minio');
  if (fromPath) return fromPath;
  const cached = join(tools, `minio-${MINIO.version}`);
  if (existsSync(cached)) return cached;
  if (!onPath('go')) throw new Error('MinIO is missing and there is no Go to build it: install Go >= 1.24, or put minio on PATH, or set TRACELAB_MINIO');
  progress(`MinIO: building ${MINIO.goModule}@${MINIO.version} with Go (once, ~5 min)`);
  const gobin = join(tools, 'gobin');
  await runStep('go install minio', 'go', ['install', `${MINIO.goModule}@${MINIO.version}`], {
    cwd: tools,
    env: { GOBIN: gobin },
    logFile: join(tools, 'minio-build.log'),
    timeoutMs: 30 * MINUTE,
    progress,
  });
  renameSync(join(gobin, 'minio'), cached);
  return cached;
}

const LOCK_FILE = join(REPO_ROOT, 'apps/clickhouse-front/requirements.lock');

/** A venv with chdb-core, keyed by the lock file's hash so a lock change makes a new one. */
export async function resolveChdbPython(tools: string, progress: Progress, env: NodeJS.ProcessEnv): Promise<string> {
  if (env.TRACELAB_CHDB_PYTHON) return env.TRACELAB_CHDB_PYTHON;
  const key = createHash('sha256').update(readFileSync(LOCK_FILE)).digest('hex').slice(0, 12);
  const venv = join(tools, `chdb-venv-${key}`);
  const python = join(venv, 'bin/python');
  if (existsSync(join(venv, '.complete'))) return python;
  const system = onPath('python3');
  if (!system) throw new Error('the ClickHouse front needs Python >= 3.11 (python3 on PATH) for chdb-core');
  const version = spawnSync(system, ['-c', 'import sys; print(sys.version_info >= (3, 11))'], { encoding: 'utf8' }).stdout.trim();
  if (version !== 'True')
    throw new Error(`${system} is older than Python 3.11, which chdb-core's pinned wheels need; set TRACELAB_CHDB_PYTHON to a Python with chdb-core 26.9`);
  progress('ClickHouse engine: installing chdb-core from PyPI into a venv (once, ~180 MB)');
  const opts = { cwd: tools, logFile: join(tools, 'chdb-venv.log'), timeoutMs: 20 * MINUTE, progress };
  await runStep('python -m venv', system, ['-m', 'venv', '--clear', venv], opts);
  await runStep('pip install chdb-core', python, ['-m', 'pip', 'install', '--quiet', '--require-hashes', '--only-binary=:all:', '-r', LOCK_FILE], opts);
  await runStep('touch', 'touch', [join(venv, '.complete')], opts);
  return python;
}
