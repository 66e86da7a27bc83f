// The datastores of ingest-sink's queue mode, started by the lab as private processes on
// 127.0.0.1: Redis (noeviction, no persistence, as Langfuse requires) and MinIO (an
// S3-compatible store). Their secrets are random per run, live only in this process's memory
// and the children's env or a 0600 config file in a temporary folder, and never reach a log.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveMinio, resolveRedisServer } from '../tools/datastores.ts';
import type { Progress } from '../tools/resolve.ts';
import { ManagedProcess, freePort } from './process.ts';
import type { Service, StartOptions } from './services.ts';

export const SINK_BUCKET = 'langfuse';

export interface SinkDatastores {
  /** The env that puts ingest-sink in queue mode on these stores (secrets included: pass it on, never print it). */
  readonly sinkEnv: Record<string, string>;
  readonly services: Service[];
  /** The secret values, for tests that check none of them leaks. */
  readonly secrets: readonly string[];
  stop(): Promise<void>;
}

const secret = () => randomBytes(24).toString('hex');

function tcpOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

export async function startSinkDatastores(progress: Progress, options: StartOptions = {}): Promise<SinkDatastores> {
  const [redisBinary, minioBinary] = [await resolveRedisServer(progress), await resolveMinio(progress)];
  const dir = mkdtempSync(join(tmpdir(), 'tracelab-sink-stores-'));
  const log = (name: string) => (options.logDir ? join(options.logDir, `${name}.log`) : undefined);
  const redisPassword = secret();
  const s3User = `tracelab-${randomBytes(6).toString('hex')}`;
  const s3Password = secret();
  const salt = secret();
  const services: Service[] = [];
  try {
    const redisPort = await freePort();
    const conf = join(dir, 'redis.conf');
    writeFileSync(
      conf,
      [`port ${redisPort}`, 'bind 127.0.0.1', 'save ""', 'appendonly no', 'maxmemory-policy noeviction', `dir ${dir}`, `requirepass ${redisPassword}`, ''].join(
        '\n',
      ),
      { mode: 0o600 },
    );
    const redis = await ManagedProcess.start({
      name: 'redis',
      command: redisBinary,
      args: [conf],
      readyCheck: () => tcpOpen(redisPort),
      logFile: log('redis'),
      cpus: options.cpus,
    });
    services.push({ process: redis, url: `redis://127.0.0.1:${redisPort}` });

    const [s3Port, consolePort] = [await freePort(), await freePort()];
    const minio = await ManagedProcess.start({
      name: 'minio',
      command: minioBinary,
      // --quiet and --anonymous keep the start-up banner (which shows the root user) and
      // anything sensitive out of its log.
      args: ['server', join(dir, 'minio'), '--address', `127.0.0.1:${s3Port}`, '--console-address', `127.0.0.1:${consolePort}`, '--quiet', '--anonymous'],
      env: { MINIO_ROOT_USER: s3User, MINIO_ROOT_PASSWORD: s3Password, MINIO_BROWSER: 'off', MINIO_UPDATE: 'off' },
      readyUrl: `http://127.0.0.1:${s3Port}/minio/health/live`,
      readyTimeoutMs: 60_000,
      logFile: log('minio'),
      cpus: options.cpus,
    });
    services.push({ process: minio, url: `http://127.0.0.1:${s3Port}` });
    return {
      sinkEnv: {
        SINK_REDIS_URL: `redis://:${redisPassword}@127.0.0.1:${redisPort}`,
        SINK_S3_ENDPOINT: `http://127.0.0.1:${s3Port}`,
        SINK_S3_BUCKET: SINK_BUCKET,
        SINK_S3_ACCESS_KEY_ID: s3User,
        SINK_S3_SECRET_ACCESS_KEY: s3Password,
        SINK_SALT: salt,
      },
      services,
      secrets: [redisPassword, s3Password, salt],
      async stop() {
        for (const service of [...services].reverse()) await service.process.stop(10_000).catch(() => undefined);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    for (const service of services.reverse()) await service.process.stop(10_000).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
