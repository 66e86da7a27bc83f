// The collector config builder, in-process: every setting of spec.collector lands in the
// component it configures, and the pipeline is wired memory_limiter → batch → Langfuse.
// (test/charts/collector-config.test.ts runs the results through a real `otelcol validate`.)
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { BASIC_AUTH_ENV, collectorConfig, collectorConfigYaml } from '../../contracts/collector-config.ts';
import { parseSpec } from '../../contracts/spec/read.ts';
import { minimal } from '../support/specs.ts';

const settings = parseSpec(
  minimal(`  collector:
    memoryLimiter: { checkInterval: 2s, limitPercentage: 70, spikeLimitPercentage: 20 }
    batch: { sendBatchSize: 100, sendBatchMaxSize: 200, timeout: 300ms }
    sendingQueue: { enabled: false, numConsumers: 3, queueSize: 40 }
    retry: { enabled: false, initialInterval: 1s, maxInterval: 9s, maxElapsedTime: 60s }`),
).spec.collector;
const endpoint = 'http://langfuse-web:3000/api/public/otel';

describe('collectorConfig', () => {
  it('builds the whole config from the spec: receiver, processors, Langfuse exporter, telemetry, pipeline', () => {
    expect(collectorConfig({ settings, langfuseOtelEndpoint: endpoint, bindHost: '0.0.0.0' })).toEqual({
      extensions: { health_check: { endpoint: '0.0.0.0:13133' } },
      receivers: { otlp: { protocols: { http: { endpoint: '0.0.0.0:4318' } } } },
      processors: {
        memory_limiter: { check_interval: '2s', limit_percentage: 70, spike_limit_percentage: 20 },
        batch: { send_batch_size: 100, send_batch_max_size: 200, timeout: '300ms' },
      },
      exporters: {
        'otlp_http/langfuse': {
          endpoint,
          compression: 'gzip',
          headers: { Authorization: `Basic \${env:${BASIC_AUTH_ENV}}`, 'x-langfuse-ingestion-version': '4' },
          sending_queue: { enabled: false, num_consumers: 3, queue_size: 40 },
          retry_on_failure: { enabled: false, initial_interval: '1s', max_interval: '9s', max_elapsed_time: '60s' },
        },
      },
      service: {
        extensions: ['health_check'],
        telemetry: { metrics: { level: 'normal', readers: [{ pull: { exporter: { prometheus: { host: '0.0.0.0', port: 8888 } } } }] } },
        pipelines: { traces: { receivers: ['otlp'], processors: ['memory_limiter', 'batch'], exporters: ['otlp_http/langfuse'] } },
      },
    });
  });

  it('the basic-auth header reads the env var Langfuse keys are put in', () => {
    expect(BASIC_AUTH_ENV).toBe('LANGFUSE_BASIC_AUTH');
  });

  it('a sidecar binds OTLP to loopback but serves health and metrics on adminHost, on the ports given', () => {
    const config = collectorConfig({
      settings,
      langfuseOtelEndpoint: endpoint,
      bindHost: '127.0.0.1',
      adminHost: '0.0.0.0',
      ports: { otlpHttp: 14318, health: 23133, metrics: 18888 },
    });
    expect(config.receivers).toEqual({ otlp: { protocols: { http: { endpoint: '127.0.0.1:14318' } } } });
    expect(config.extensions.health_check).toEqual({ endpoint: '0.0.0.0:23133' });
    expect(config.service.telemetry).toMatchObject({ metrics: { readers: [{ pull: { exporter: { prometheus: { host: '0.0.0.0', port: 18888 } } } }] } });
  });

  it('grpc: also an OTLP/gRPC receiver on the same host', () => {
    const config = collectorConfig({ settings, langfuseOtelEndpoint: endpoint, bindHost: '0.0.0.0', grpc: true, ports: { otlpGrpc: 14317 } });
    expect(config.receivers).toEqual({ otlp: { protocols: { http: { endpoint: '0.0.0.0:4318' }, grpc: { endpoint: '0.0.0.0:14317' } } } });
  });

  it('persistent queue: a file_storage extension in the given directory, used by the sending queue', () => {
    const persistent = { ...settings, persistentQueue: { enabled: true, storage: { size: '1Gi' } } };
    const config = collectorConfig({ settings: persistent, langfuseOtelEndpoint: endpoint, bindHost: '0.0.0.0', queueDirectory: '/var/lib/otelcol/queue' });
    expect(config.extensions.file_storage).toEqual({ directory: '/var/lib/otelcol/queue', create_directory: true });
    expect(config.service.extensions).toEqual(['health_check', 'file_storage']);
    expect(config.exporters['otlp_http/langfuse']).toMatchObject({ sending_queue: { storage: 'file_storage' } });
  });

  it('persistent queue without a directory is an error that says which input is missing', () => {
    const persistent = { ...settings, persistentQueue: { enabled: true, storage: { size: '1Gi' } } };
    expect(() => collectorConfig({ settings: persistent, langfuseOtelEndpoint: endpoint, bindHost: '0.0.0.0' })).toThrow(
      'persistentQueue is enabled but no queueDirectory was given',
    );
  });

  it('without a persistent queue there is no file_storage anywhere', () => {
    const yaml = collectorConfigYaml({ settings, langfuseOtelEndpoint: endpoint, bindHost: '0.0.0.0', queueDirectory: '/q' });
    expect(yaml).not.toMatch(/file_storage/);
  });

  it('collectorConfigYaml is the same config as YAML, unwrapped however long the lines', () => {
    const input = { settings, langfuseOtelEndpoint: `${endpoint}/${'x'.repeat(200)}`, bindHost: '0.0.0.0' };
    const yaml = collectorConfigYaml(input);
    expect(parse(yaml)).toEqual(collectorConfig(input));
    expect(yaml).toContain(`endpoint: ${input.langfuseOtelEndpoint}\n`);
  });
});
