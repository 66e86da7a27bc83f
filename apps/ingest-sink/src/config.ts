// The sink's settings, all from env (the lab and the chart write them). Secrets (keys, the
// Redis URL with its password, S3 credentials, the salt) stay in memory: nothing here is
// ever printed.
import type { ProjectKeys } from './contract.ts';
import type { QueueSettings } from './ingest-path.ts';

export interface SinkConfig {
  readonly host: string;
  readonly port: number;
  /** A second port serving only /admin, /stats, /metrics and health — reachable while the ingestion port refuses connections. */
  readonly adminPort?: number;
  readonly keys: ProjectKeys;
  readonly keepSpans: number;
  /** Largest body accepted, compressed or inflated (413 above). */
  readonly maxBodyBytes: number;
  readonly mode: 'count' | 'queue';
  readonly queue?: QueueSettings;
  readonly faults?: string;
}

export const DEFAULT_MAX_BODY = 32 * 1024 * 1024;

export function readConfig(env: NodeJS.ProcessEnv = process.env): SinkConfig {
  const keys = { publicKey: env.LANGFUSE_PUBLIC_KEY ?? 'pk-lf-tracelab', secretKey: env.LANGFUSE_SECRET_KEY ?? 'sk-lf-tracelab' };
  const mode = env.SINK_MODE ?? 'count';
  if (mode !== 'count' && mode !== 'queue') throw new Error(`SINK_MODE must be count or queue, got "${mode}"`);
  const number = (name: string, fallback: number) => {
    const value = env[name] === undefined || env[name] === '' ? fallback : Number(env[name]);
    if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, got "${env[name]}"`);
    return value;
  };
  let queue: QueueSettings | undefined;
  if (mode === 'queue') {
    const missing = ['SINK_REDIS_URL', 'SINK_S3_ENDPOINT', 'SINK_S3_BUCKET', 'SINK_S3_ACCESS_KEY_ID', 'SINK_S3_SECRET_ACCESS_KEY', 'SINK_SALT'].filter(
      (k) => !env[k],
    );
    if (missing.length) throw new Error(`SINK_MODE=queue needs ${missing.join(', ')}`);
    queue = {
      redisUrl: env.SINK_REDIS_URL!,
      salt: env.SINK_SALT!,
      keys,
      s3: {
        endpoint: env.SINK_S3_ENDPOINT!,
        bucket: env.SINK_S3_BUCKET!,
        region: env.SINK_S3_REGION ?? 'us-east-1',
        accessKeyId: env.SINK_S3_ACCESS_KEY_ID!,
        secretAccessKey: env.SINK_S3_SECRET_ACCESS_KEY!,
      },
    };
  }
  return {
    host: env.HOST ?? '0.0.0.0',
    port: number('PORT', 3000),
    adminPort: env.SINK_ADMIN_PORT ? number('SINK_ADMIN_PORT', 0) : undefined,
    keys,
    keepSpans: number('SINK_KEEP_SPANS', 0),
    maxBodyBytes: number('SINK_MAX_BODY_BYTES', DEFAULT_MAX_BODY),
    mode,
    queue,
    faults: env.SINK_FAULTS,
  };
}
