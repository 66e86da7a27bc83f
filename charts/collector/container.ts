// The collector container as gateway, agent and sidecar all run it: config from a
// ConfigMap, Basic auth from the init Secret, health and metrics ports, non-root.
import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import type { Construct } from 'constructs';
import type { Resources } from '../../contracts/spec/fields.ts';
import { fromSecret, toEnvVariables } from '../env.ts';
import { PULL, containerResources, containerSecurity } from '../pod-defaults.ts';
import { SECRET } from '../secrets.ts';
import { BASIC_AUTH_ENV, COLLECTOR_PORTS, collectorConfigYaml, type CollectorConfigInput } from '../../contracts/collector-config.ts';

/** uid of the otel/opentelemetry-collector-* images. */
export const COLLECTOR_UID = 10001;
export const QUEUE_DIRECTORY = '/var/lib/otelcol/queue';

export interface CollectorContainerOptions {
  /** Container name. */
  readonly name: string;
  /** Name of the ConfigMap holding config.yaml; unique in the namespace. */
  readonly configMapName: string;
  readonly image: string;
  readonly resources: Resources;
  readonly config: CollectorConfigInput;
  /** Expose OTLP/HTTP on the node (agent). */
  readonly hostPort?: boolean;
  /** Where the persistent sending queue lives, when spec.collector.persistentQueue is on. */
  readonly queueVolume?: kplus.Volume;
}

/** Creates the config's ConfigMap and returns the container that mounts it. */
export function collectorContainer(scope: Construct, options: CollectorContainerOptions): kplus.ContainerProps {
  const configMap = new kplus.ConfigMap(scope, `${options.name}-config`, {
    metadata: { name: options.configMapName },
    data: { 'config.yaml': collectorConfigYaml(options.config) },
  });
  const mounts: kplus.VolumeMount[] = [
    { path: '/conf', volume: kplus.Volume.fromConfigMap(scope, `${options.name}-config-volume`, configMap, { name: 'config' }), readOnly: true },
  ];
  if (options.config.settings.persistentQueue.enabled) {
    if (!options.queueVolume) throw new Error(`${options.name}: persistentQueue is enabled but no queue volume was given`);
    mounts.push({ path: QUEUE_DIRECTORY, volume: options.queueVolume });
  }
  return {
    name: options.name,
    image: options.image,
    imagePullPolicy: PULL,
    args: ['--config=/conf/config.yaml'],
    ports: [
      { name: 'otlp-http', number: COLLECTOR_PORTS.otlpHttp, ...(options.hostPort ? { hostPort: COLLECTOR_PORTS.otlpHttp } : {}) },
      ...(options.config.grpc ? [{ name: 'otlp-grpc', number: COLLECTOR_PORTS.otlpGrpc }] : []),
      { name: 'metrics', number: COLLECTOR_PORTS.metrics },
      { name: 'health', number: COLLECTOR_PORTS.health },
    ],
    envVariables: toEnvVariables(scope, [[BASIC_AUTH_ENV, fromSecret(SECRET.init, 'basicAuth')]]),
    resources: containerResources(options.resources),
    securityContext: containerSecurity(COLLECTOR_UID),
    readiness: kplus.Probe.fromHttpGet('/', { port: COLLECTOR_PORTS.health, periodSeconds: Duration.seconds(5) }),
    liveness: kplus.Probe.fromHttpGet('/', { port: COLLECTOR_PORTS.health, periodSeconds: Duration.seconds(10) }),
    volumeMounts: mounts,
  };
}
