// Langfuse's four backends. Each is either an in-cluster SingleNodeStore or an external
// managed service; either way this construct hands Langfuse the env that points at it.
import { Construct } from 'constructs';
import type { Spec } from '../../contracts/spec/schema.ts';
import { fromSecret, value, type EnvList } from '../env.ts';
import { SECRET } from '../secrets.ts';
import { SingleNodeStore } from './single-node-store.ts';

export interface DatastoresProps {
  readonly datastores: Spec['datastores'];
}

export class Datastores extends Construct {
  /**
   * Env for web and worker, in an order where every $(VAR) is defined before use. They differ
   * in one place: web hands browsers presigned media URLs, so its media endpoint is the one
   * reachable from outside the cluster (as in Langfuse's docker-compose).
   */
  public readonly langfuseEnv: Readonly<Record<'web' | 'worker', EnvList>>;
  /** The in-cluster stores (empty when all are external). */
  public readonly stores: readonly SingleNodeStore[];

  constructor(scope: Construct, id: string, props: DatastoresProps) {
    super(scope, id);
    const { postgres, clickhouse, redis, objectStore } = props.datastores;
    const stores: SingleNodeStore[] = [];
    const env: Array<EnvList[number]> = [];

    if (postgres.mode === 'in-cluster') {
      const store = new SingleNodeStore(this, 'postgres', {
        name: 'postgres',
        image: postgres.image,
        resources: postgres.resources,
        storage: postgres.storage,
        uid: 999,
        dataPath: '/var/lib/postgresql/data',
        ports: [{ name: 'postgres', number: 5432 }],
        env: [
          ['POSTGRES_USER', value('postgres')],
          ['POSTGRES_DB', value('postgres')],
          ['POSTGRES_PASSWORD', fromSecret(SECRET.postgres, 'password')],
          ['PGDATA', value('/var/lib/postgresql/data/pgdata')],
          ['TZ', value('UTC')],
        ],
        scratchPaths: ['/var/run/postgresql', '/tmp'],
        healthCommand: ['pg_isready', '-U', 'postgres', '-h', '127.0.0.1'],
      });
      stores.push(store);
      env.push(
        ['DATABASE_PASSWORD', fromSecret(SECRET.postgres, 'password')],
        ['DATABASE_URL', value(`postgresql://postgres:$(DATABASE_PASSWORD)@${store.host}:5432/postgres`)],
      );
    } else {
      env.push(['DATABASE_URL', fromSecret(postgres.urlSecretRef.name, postgres.urlSecretRef.key)]);
    }

    if (clickhouse.mode === 'in-cluster') {
      const store = new SingleNodeStore(this, 'clickhouse', {
        name: 'clickhouse',
        image: clickhouse.image!,
        resources: clickhouse.resources,
        storage: clickhouse.storage,
        uid: 101,
        dataPath: '/var/lib/clickhouse',
        ports: [
          { name: 'http', number: 8123 },
          { name: 'native', number: 9000 },
        ],
        env: [
          ['CLICKHOUSE_USER', value('clickhouse')],
          ['CLICKHOUSE_PASSWORD', fromSecret(SECRET.clickhouse, 'password')],
          ['TZ', value('UTC')],
        ],
        scratchPaths: ['/var/log/clickhouse-server'],
        // The entrypoint writes users.d/config.d files under /etc: the image needs a writable root.
        writableRoot: true,
        // As Langfuse's docker-compose checks it; the image ships wget.
        healthCommand: ['wget', '--no-verbose', '--tries=1', '--spider', 'http://127.0.0.1:8123/ping'],
      });
      stores.push(store);
      env.push(
        ['CLICKHOUSE_URL', value(`http://${store.host}:8123`)],
        ['CLICKHOUSE_MIGRATION_URL', value(`clickhouse://${store.host}:9000`)],
        ['CLICKHOUSE_USER', value('clickhouse')],
        ['CLICKHOUSE_PASSWORD', fromSecret(SECRET.clickhouse, 'password')],
        ['CLICKHOUSE_CLUSTER_ENABLED', value(false)],
      );
    } else {
      env.push(
        ['CLICKHOUSE_URL', value(clickhouse.url)],
        ['CLICKHOUSE_MIGRATION_URL', value(clickhouse.migrationUrl)],
        ['CLICKHOUSE_USER', value(clickhouse.user)],
        ['CLICKHOUSE_PASSWORD', fromSecret(clickhouse.passwordSecretRef.name, clickhouse.passwordSecretRef.key)],
        ['CLICKHOUSE_CLUSTER_ENABLED', value(clickhouse.clusterEnabled)],
      );
    }

    if (redis.mode === 'in-cluster') {
      const store = new SingleNodeStore(this, 'redis', {
        name: 'redis',
        image: redis.image,
        resources: redis.resources,
        storage: redis.storage,
        uid: 999,
        dataPath: '/data',
        ports: [{ name: 'redis', number: 6379 }],
        env: [['REDIS_PASSWORD', fromSecret(SECRET.redis, 'password')]],
        command: ['valkey-server'],
        // noeviction: evicted BullMQ jobs are traces that silently never arrive.
        args: ['--requirepass', '$(REDIS_PASSWORD)', '--maxmemory-policy', 'noeviction', '--appendonly', 'yes', '--dir', '/data'],
        healthCommand: ['sh', '-c', 'valkey-cli --no-auth-warning -a "$REDIS_PASSWORD" ping | grep -q PONG'],
      });
      stores.push(store);
      env.push(['REDIS_HOST', value(store.host)], ['REDIS_PORT', value(6379)], ['REDIS_AUTH', fromSecret(SECRET.redis, 'password')]);
    } else {
      env.push(['REDIS_HOST', value(redis.host)], ['REDIS_PORT', value(redis.port)]);
      if (redis.passwordSecretRef) env.push(['REDIS_AUTH', fromSecret(redis.passwordSecretRef.name, redis.passwordSecretRef.key)]);
      if (redis.tls) env.push(['REDIS_TLS_ENABLED', value(true)]);
    }

    let s3: { bucket: string; region: string; endpoint?: string; publicEndpoint?: string; forcePathStyle: boolean; credentials?: string };
    if (objectStore.mode === 'in-cluster') {
      const store = new SingleNodeStore(this, 'object-store', {
        name: 'object-store',
        image: objectStore.image,
        resources: objectStore.resources,
        storage: objectStore.storage,
        uid: 65532,
        dataPath: '/data',
        ports: [{ name: 's3', number: 9000 }],
        env: [
          ['MINIO_ROOT_USER', fromSecret(SECRET.objectStore, 'accessKeyId')],
          ['MINIO_ROOT_PASSWORD', fromSecret(SECRET.objectStore, 'secretAccessKey')],
          // mc keeps its config under $HOME by default, which is read-only here.
          ['MC_CONFIG_DIR', value('/tmp/.mc')],
        ],
        command: ['minio'],
        args: ['server', '/data', '--address', ':9000', '--certs-dir', '/tmp/certs'],
        scratchPaths: ['/tmp'],
        // Langfuse does not create buckets; a directory under the data path is a bucket to MinIO.
        initCommand: ['sh', '-c', `mkdir -p /data/${objectStore.bucket}`],
        // As Langfuse's docker-compose checks it (the image ships mc).
        healthCommand: ['mc', 'ready', 'local'],
        nodePort: objectStore.nodePort ? { port: 's3', nodePort: objectStore.nodePort } : undefined,
      });
      stores.push(store);
      s3 = {
        bucket: objectStore.bucket,
        region: 'us-east-1',
        endpoint: `http://${store.host}:9000`,
        publicEndpoint: objectStore.publicEndpoint,
        forcePathStyle: true,
        credentials: SECRET.objectStore,
      };
    } else {
      // AWS S3 (or the given endpoint) is reachable from browsers as it is.
      s3 = { ...objectStore, credentials: objectStore.credentialsSecretName };
    }
    const s3Env = (role: 'web' | 'worker') => {
      const out: Array<EnvList[number]> = [];
      for (const [use, prefix] of [
        ['EVENT', 'events/'],
        ['MEDIA', 'media/'],
      ] as const) {
        const key = (k: string) => `LANGFUSE_S3_${use}_UPLOAD_${k}`;
        out.push(
          [key('BUCKET'), value(s3.bucket)],
          [key('REGION'), value(s3.region)],
          [key('PREFIX'), value(prefix)],
          [key('FORCE_PATH_STYLE'), value(s3.forcePathStyle)],
        );
        const endpoint = use === 'MEDIA' && role === 'web' ? (s3.publicEndpoint ?? s3.endpoint) : s3.endpoint;
        if (endpoint) out.push([key('ENDPOINT'), value(endpoint)]);
        if (s3.credentials) {
          out.push(
            [key('ACCESS_KEY_ID'), fromSecret(s3.credentials, 'accessKeyId')],
            [key('SECRET_ACCESS_KEY'), fromSecret(s3.credentials, 'secretAccessKey')],
          );
        }
      }
      return out;
    };

    this.stores = stores;
    this.langfuseEnv = { web: [...env, ...s3Env('web')], worker: [...env, ...s3Env('worker')] };
  }
}
