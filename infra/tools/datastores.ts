// The two datastores ingest-sink's queue mode works against — Redis (Debian's redis-server)
// and MinIO (an S3-compatible server) — found or installed the way k6 and the collector are:
//   Redis:  TRACELAB_REDIS_SERVER, else redis-server on PATH, else (root on Debian/Ubuntu) the
//           redis-server package via apt-get (TRACELAB_NO_APT=1 refuses), else an error saying
//           what to install;
//   MinIO:  TRACELAB_MINIO, else minio on PATH, else the cache .tools/bin/minio-<version>, else a
//           build with Go from the module proxy (`go install github.com/minio/minio@<version>`,
//           a few minutes once).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { type Progress, TOOLS_DIR } from './resolve.ts';

/** What `go install github.com/minio/minio@latest` resolved to on the module proxy (Nov 2026). */
export const MINIO_BUILD = { goModule: 'github.com/minio/minio', version: 'v0.0.0-20260212201848-7aac2a2c5b7c' } as const;

const MINUTE = 60_000;

function onPath(command: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, command))) return join(dir, command);
  }
  return undefined;
}

export async function resolveRedisServer(progress: Progress, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (env.TRACELAB_REDIS_SERVER) {
    if (!existsSync(env.TRACELAB_REDIS_SERVER)) throw new Error(`TRACELAB_REDIS_SERVER=${env.TRACELAB_REDIS_SERVER} does not exist`);
    return env.TRACELAB_REDIS_SERVER;
  }
  const found = onPath('redis-server', env);
  if (found) return found;
  const canApt = process.getuid?.() === 0 && onPath('apt-get', env) && env.TRACELAB_NO_APT !== '1';
  if (!canApt)
    throw new Error(
      'redis-server is missing (ingest-sink queue mode needs it): install it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis), set TRACELAB_REDIS_SERVER, or run with --sink count',
    );
  progress('redis-server not found: installing the Debian package redis-server (apt-get; TRACELAB_NO_APT=1 refuses)');
  await run('apt-get', ['update', '-qq'], { DEBIAN_FRONTEND: 'noninteractive' }, 10 * MINUTE, progress, 'apt-get update');
  await run(
    'apt-get',
    ['install', '-y', '-qq', '--no-install-recommends', 'redis-server'],
    { DEBIAN_FRONTEND: 'noninteractive' },
    10 * MINUTE,
    progress,
    'redis-server',
  );
  const installed = onPath('redis-server', env) ?? (existsSync('/usr/bin/redis-server') ? '/usr/bin/redis-server' : undefined);
  if (!installed) throw new Error('apt-get installed redis-server but it is not on PATH; set TRACELAB_REDIS_SERVER');
  return installed;
}

export async function resolveMinio(progress: Progress, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (env.TRACELAB_MINIO) {
    if (!existsSync(env.TRACELAB_MINIO)) throw new Error(`TRACELAB_MINIO=${env.TRACELAB_MINIO} does not exist`);
    return env.TRACELAB_MINIO;
  }
  const found = onPath('minio', env);
  if (found) return found;
  const cached = join(TOOLS_DIR, 'bin', `minio-${MINIO_BUILD.version}`);
  if (existsSync(cached)) return cached;
  if (!onPath('go', env))
    throw new Error(
      'MinIO is missing (ingest-sink queue mode needs it) and there is no Go to build it: install Go >= 1.24, put minio on PATH, set TRACELAB_MINIO, or run with --sink count',
    );
  progress(`MinIO ${MINIO_BUILD.version}: not found; building it with Go into .tools/ (first run only, ~5 min)`);
  const gobin = join(TOOLS_DIR, 'gobin-minio');
  mkdirSync(gobin, { recursive: true });
  mkdirSync(join(TOOLS_DIR, 'bin'), { recursive: true });
  await run('go', ['install', `${MINIO_BUILD.goModule}@${MINIO_BUILD.version}`], { GOBIN: gobin }, 30 * MINUTE, progress, 'minio');
  renameSync(join(gobin, 'minio'), cached);
  return cached;
}

/** A bounded install or build step; progress every 15 s so a long first build never looks hung. */
function run(command: string, args: string[], env: Record<string, string>, timeoutMs: number, progress: Progress, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(command, args, { env: { ...process.env, ...env }, cwd: TOOLS_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const keep = (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const ticker = setInterval(() => progress(`  building ${what}... ${Math.round((Date.now() - started) / 1000)}s`), 15_000);
    const limit = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearInterval(ticker);
      clearTimeout(limit);
      reject(new Error(`cannot run ${command}: ${error.message}`));
    });
    child.on('close', (code) => {
      clearInterval(ticker);
      clearTimeout(limit);
      if (code === 0) {
        progress(`  ${what} ready in ${Math.round((Date.now() - started) / 1000)}s`);
        resolve();
      } else reject(new Error(`${what} failed (exit ${code}${Date.now() - started >= timeoutMs ? ', timed out' : ''}):\n${tail}`));
    });
  });
}
