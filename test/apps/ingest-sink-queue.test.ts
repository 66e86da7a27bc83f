// Given ingest-sink in queue mode on a real Redis and a real MinIO (the lab's default), when an
// export arrives, then before its 200 the sink has done Langfuse web's work: the key checked
// through Redis's API-key cache, the batch stored as JSON in the bucket, a BullMQ job queued —
// and the answer is that job. When the store fails, the answer is 500, as Langfuse's.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedHeaders } from '../../apps/ingest-sink/src/s3.ts';
import { SINK_KEYS, type SinkService, basicAuth, startSink } from '../../infra/local/services.ts';
import { type SinkDatastores, startSinkDatastores } from '../../infra/local/sink-datastores.ts';
import { sinkStats } from '../support/lab.ts';
import { protobufBody, testTrace } from '../support/otlp-requests.ts';

let stores: SinkDatastores;
let sink: SinkService;
beforeAll(async () => {
  stores = await startSinkDatastores(() => {});
  sink = await startSink({ queue: stores.sinkEnv });
}, 120_000);
afterAll(async () => {
  await sink?.process.stop();
  await stores?.stop();
});

const post = (authorization = `Basic ${basicAuth(SINK_KEYS)}`) =>
  fetch(`${sink.url}/api/public/otel/v1/traces`, {
    method: 'POST',
    body: protobufBody(testTrace(5)),
    headers: { authorization, 'content-type': 'application/x-protobuf' },
    signal: AbortSignal.timeout(30_000),
  });

describe('ingest-sink in queue mode', { timeout: 120_000 }, () => {
  it('answers with the BullMQ job, after storing the batch in S3 and queueing the job in Redis', async () => {
    const response = await post();
    expect(response.status).toBe(200);
    const job = (await response.json()) as { id: string; name: string; data: { payload: { data: { fileKey: string } } } };
    expect(job.name).toBe('otel-ingestion-job');
    const { fileKey } = job.data.payload.data;

    const env = stores.sinkEnv;
    const url = new URL(`${env.SINK_S3_ENDPOINT}/${env.SINK_S3_BUCKET}/${fileKey}`);
    const target = {
      endpoint: env.SINK_S3_ENDPOINT,
      bucket: env.SINK_S3_BUCKET,
      region: 'us-east-1',
      accessKeyId: env.SINK_S3_ACCESS_KEY_ID,
      secretAccessKey: env.SINK_S3_SECRET_ACCESS_KEY,
    };
    const stored = await fetch(url, { headers: signedHeaders('GET', url, Buffer.alloc(0), target) });
    expect(stored.status).toBe(200);
    const resourceSpans = (await stored.json()) as Array<{ scopeSpans: Array<{ spans: unknown[] }> }>;
    expect(resourceSpans[0].scopeSpans[0].spans).toHaveLength(5);

    const redis = new Redis(env.SINK_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    try {
      const queued = await redis.hgetall(`bull:otel-ingestion-queue:${job.id}`);
      expect(queued.name).toBe('otel-ingestion-job');
      expect(JSON.parse(queued.data).payload.data.fileKey).toBe(fileKey);
    } finally {
      redis.disconnect();
    }
    expect((await sinkStats(sink.adminUrl)).totals.spans).toBe(5);
  });

  it('401 for a key the cache does not hold', async () => {
    expect((await post(`Basic ${Buffer.from(`${SINK_KEYS.publicKey}:sk-lf-wrong`).toString('base64')}`)).status).toBe(401);
  });

  it('500 when the object store is down (what Langfuse answers and exporters do not retry), counting nothing', async () => {
    const before = (await sinkStats(sink.adminUrl)).totals.spans;
    const minio = stores.services.find((s) => s.process.spec.name === 'minio')!;
    await minio.process.stop(10_000);
    const response = await post();
    expect(response.status).toBe(500);
    expect(((await response.json()) as { error: string }).error).toMatch(/object store unreachable/);
    expect((await sinkStats(sink.adminUrl)).totals.spans).toBe(before);
    expect((await fetch(`${sink.adminUrl}/healthz`)).status).toBe(200);
  });
});
