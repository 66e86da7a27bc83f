// Every collector config tracelab runs — gateway, node agent, sidecar, and the local lab's
// processes — comes from this one builder. Pipelines are data: components are named once
// and wired in service.pipelines, then serialized (never string-concatenated).
import { stringify } from 'yaml';
import type { CollectorSpec, Topology } from './spec/schema.ts';

/** Env var holding base64(publicKey:secretKey) for Langfuse's Basic auth. */
export const BASIC_AUTH_ENV = 'LANGFUSE_BASIC_AUTH';
export const LANGFUSE_INGESTION_VERSION = '4';

export const COLLECTOR_PORTS = { otlpHttp: 4318, otlpGrpc: 4317, metrics: 8888, health: 13133 } as const;

/** spec.collector with a topology's own collector settings (topologies[].collector) laid over it. */
export function collectorSettingsFor(settings: CollectorSpec, topology: Pick<Topology, 'collector'>): CollectorSpec {
  if (!topology.collector) return settings;
  return { ...settings, persistentQueue: { ...settings.persistentQueue, ...topology.collector.persistentQueue } };
}

export interface CollectorConfigInput {
  readonly settings: CollectorSpec;
  /** Langfuse OTLP base, e.g. http://langfuse-web:3000/api/public/otel (the exporter appends /v1/traces). */
  readonly langfuseOtelEndpoint: string;
  /** Address the OTLP receiver binds to: 0.0.0.0 for shared collectors, 127.0.0.1 for a sidecar or the local lab. */
  readonly bindHost: string;
  /**
   * Address of the health and metrics endpoints, so probes and scrapers reach a sidecar too.
   * @default bindHost
   */
  readonly adminHost?: string;
  readonly ports?: Partial<Record<keyof typeof COLLECTOR_PORTS, number>>;
  /** Directory for the file_storage extension when spec.collector.persistentQueue is on. */
  readonly queueDirectory?: string;
  /** Also accept OTLP/gRPC (cluster collectors do; the local lab needs HTTP only). */
  readonly grpc?: boolean;
}

export interface CollectorConfig {
  extensions: Record<string, object>;
  receivers: Record<string, object>;
  processors: Record<string, object>;
  exporters: Record<string, object>;
  service: {
    extensions: string[];
    telemetry: object;
    pipelines: Record<string, { receivers: string[]; processors: string[]; exporters: string[] }>;
  };
}

export function collectorConfig(input: CollectorConfigInput): CollectorConfig {
  const { settings: s, bindHost } = input;
  const adminHost = input.adminHost ?? bindHost;
  const ports = { ...COLLECTOR_PORTS, ...input.ports };
  const persistent = s.persistentQueue.enabled;
  if (persistent && !input.queueDirectory) throw new Error('persistentQueue is enabled but no queueDirectory was given');

  const extensions: Record<string, object> = { health_check: { endpoint: `${adminHost}:${ports.health}` } };
  if (persistent) extensions.file_storage = { directory: input.queueDirectory!, create_directory: true };

  return {
    extensions,
    receivers: {
      otlp: {
        protocols: {
          http: { endpoint: `${bindHost}:${ports.otlpHttp}` },
          ...(input.grpc ? { grpc: { endpoint: `${bindHost}:${ports.otlpGrpc}` } } : {}),
        },
      },
    },
    processors: {
      // First in the pipeline: refuse data before the process runs out of memory.
      memory_limiter: {
        check_interval: s.memoryLimiter.checkInterval,
        limit_percentage: s.memoryLimiter.limitPercentage,
        spike_limit_percentage: s.memoryLimiter.spikeLimitPercentage,
      },
      ...(persistent ? {} : { batch: { send_batch_size: s.batch.sendBatchSize, send_batch_max_size: s.batch.sendBatchMaxSize, timeout: s.batch.timeout } }),
    },
    exporters: {
      'otlp_http/langfuse': {
        endpoint: input.langfuseOtelEndpoint,
        compression: 'gzip',
        headers: {
          Authorization: `Basic \${env:${BASIC_AUTH_ENV}}`,
          // Selects Langfuse's real-time ingestion path.
          'x-langfuse-ingestion-version': LANGFUSE_INGESTION_VERSION,
        },
        sending_queue: {
          enabled: s.sendingQueue.enabled,
          num_consumers: s.sendingQueue.numConsumers,
          queue_size: s.sendingQueue.queueSize,
          // With the queue on disk, batching moves behind it (the exporter's own batcher): a
          // batch processor in front would hold accepted spans in memory, and a SIGKILL would
          // lose them although the queue survives. The receiver then answers only once a
          // request is on disk.
          ...(persistent
            ? {
                storage: 'file_storage',
                batch: { flush_timeout: s.batch.timeout, min_size: s.batch.sendBatchSize, max_size: s.batch.sendBatchMaxSize, sizer: 'items' },
              }
            : {}),
        },
        retry_on_failure: {
          enabled: s.retry.enabled,
          initial_interval: s.retry.initialInterval,
          max_interval: s.retry.maxInterval,
          max_elapsed_time: s.retry.maxElapsedTime,
        },
      },
    },
    service: {
      extensions: Object.keys(extensions),
      telemetry: {
        metrics: { level: 'normal', readers: [{ pull: { exporter: { prometheus: { host: adminHost, port: ports.metrics } } } }] },
      },
      pipelines: {
        traces: { receivers: ['otlp'], processors: persistent ? ['memory_limiter'] : ['memory_limiter', 'batch'], exporters: ['otlp_http/langfuse'] },
      },
    },
  };
}

export function collectorConfigYaml(input: CollectorConfigInput): string {
  return stringify(collectorConfig(input), { lineWidth: 0 });
}
