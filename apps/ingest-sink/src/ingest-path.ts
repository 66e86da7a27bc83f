// What the sink does with a decoded export before it answers 200 — the part of Langfuse's
// request path an exporter waits for. Two modes:
//   count: nothing; the answer goes out right after decoding (fast, but it understates export
//          round trips, queue drain and drops against a real Langfuse);
//   queue: what Langfuse's web does (OtelIngestionProcessor.publishToOtelIngestionQueue):
//          authenticate the key through its Redis cache, PUT the batch as JSON into the event
//          bucket of an S3 store, add a BullMQ job to otel-ingestion-queue, answer with the job.
// Either way the success body is the queued job as JSON, as Langfuse sends it.
import { createHash, randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { type ProjectKeys, Unauthorized, basicCredentials, checkAuth } from './contract.ts';
import { putJson, type S3Target, StorageError, ensureBucket } from './s3.ts';

export const QUEUE_NAME = 'otel-ingestion-queue';
export const JOB_NAME = 'otel-ingestion-job';
/** Langfuse's defaultJobOptions for this queue. */
const JOB_OPTIONS = { removeOnComplete: true, removeOnFail: 100_000, attempts: 6, backoff: { type: 'exponential', delay: 5000 } } as const;
export const PROJECT = { id: 'tracelab', orgId: 'tracelab' } as const;

export interface IngestPath {
  readonly mode: 'count' | 'queue';
  /** Throws Unauthorized for a missing or wrong key. */
  authenticate(header: string | undefined): Promise<ProjectKeys>;
  /** Stores and queues one export; returns the job as JSON. Throws StorageError (→ 500). */
  publish(resourceSpans: unknown, publicKey: string, ingestionVersion: string | undefined): Promise<object>;
  close(): Promise<void>;
}

/** The S3 key Langfuse gives a batch: otel/<project>/<yyyy>/<mm>/<dd>/<hh>/<mi>/<uuid>.json */
export function fileKey(now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `otel/${PROJECT.id}/${now.getFullYear()}/${p(now.getMonth() + 1)}/${p(now.getDate())}/${p(now.getHours())}/${p(now.getMinutes())}/${randomUUID()}.json`;
}

function jobData(key: string, publicKey: string, ingestionVersion: string | undefined) {
  return {
    id: randomUUID(),
    timestamp: new Date(),
    name: JOB_NAME,
    payload: {
      data: { fileKey: key, publicKey },
      authCheck: { validKey: true, scope: { projectId: PROJECT.id, accessLevel: 'project', orgId: PROJECT.orgId } },
      ingestionVersion,
    },
  };
}

export function countPath(keys: ProjectKeys): IngestPath {
  let jobs = 0;
  return {
    mode: 'count',
    authenticate: async (header) => {
      checkAuth(header, keys);
      return keys;
    },
    // The shape of BullMQ's Job.toJSON(), so a client reads the same answer in both modes.
    publish: async (_resourceSpans, publicKey, ingestionVersion) => ({
      name: JOB_NAME,
      data: jobData(fileKey(), publicKey, ingestionVersion),
      opts: { attempts: JOB_OPTIONS.attempts, backoff: JOB_OPTIONS.backoff, removeOnComplete: true, removeOnFail: JOB_OPTIONS.removeOnFail },
      id: String(++jobs),
      progress: 0,
      returnvalue: null,
      stacktrace: null,
      delay: 0,
      priority: 0,
      attemptsStarted: 0,
      attemptsMade: 0,
      stalledCounter: 0,
      timestamp: Date.now(),
      queueQualifiedName: `bull:${QUEUE_NAME}`,
    }),
    close: async () => {},
  };
}

export interface QueueSettings {
  readonly redisUrl: string;
  readonly s3: S3Target;
  readonly salt: string;
  readonly keys: ProjectKeys;
}

/** Langfuse's fast key hash: sha256(secret + sha256(salt)). */
export const keyHash = (secretKey: string, salt: string) =>
  createHash('sha256').update(secretKey).update(createHash('sha256').update(salt, 'utf8').digest('hex')).digest('hex');
const cacheKey = (hash: string) => `api-key:${hash}`;
const KEY_TTL_SECONDS = 3600;

/**
 * Connects to Redis and the object store, creates the bucket and seeds Langfuse's API-key
 * cache with the project's key (the sink has no Postgres to fall back on: a cache miss is 401).
 */
export async function queuePath(settings: QueueSettings): Promise<IngestPath> {
  // As Langfuse configures ioredis for BullMQ: commands wait through a reconnect.
  const redis = new Redis(settings.redisUrl, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: true });
  redis.on('error', () => {}); // reconnects by itself; a request that fails meanwhile answers 500
  await redis.connect();
  await ensureBucket(settings.s3);
  const { keys, salt } = settings;
  const cached = JSON.stringify({ publicKey: keys.publicKey, fastHashedSecretKey: keyHash(keys.secretKey, salt), projectId: PROJECT.id, orgId: PROJECT.orgId });
  await redis.set(cacheKey(keyHash(keys.secretKey, salt)), cached, 'EX', KEY_TTL_SECONDS);
  const queue = new Queue(QUEUE_NAME, { connection: redis, defaultJobOptions: JOB_OPTIONS });
  queue.on('error', () => {});

  return {
    mode: 'queue',
    async authenticate(header) {
      const given = basicCredentials(header);
      if (!header) throw new Unauthorized('missing Authorization header (Basic base64(publicKey:secretKey))');
      if (!given) throw new Unauthorized('Invalid credentials');
      const entry = await redis.getex(cacheKey(keyHash(given.secretKey, salt)), 'EX', KEY_TTL_SECONDS).catch((error: Error) => {
        throw new StorageError(`redis: ${error.message}`);
      });
      if (!entry || (JSON.parse(entry) as { publicKey?: string }).publicKey !== given.publicKey) throw new Unauthorized('Invalid credentials');
      return given;
    },
    async publish(resourceSpans, publicKey, ingestionVersion) {
      const key = fileKey();
      await putJson(settings.s3, key, JSON.stringify(resourceSpans));
      const job = await queue.add(JOB_NAME, jobData(key, publicKey, ingestionVersion) as never).catch((error: Error) => {
        throw new StorageError(`redis: ${error.message}`);
      });
      return job.toJSON();
    },
    async close() {
      await queue.close().catch(() => undefined);
      redis.disconnect();
    },
  };
}
