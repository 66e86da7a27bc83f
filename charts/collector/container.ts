// The collector container as gateway, agent and sidecar all run it: config from a mounted
// ConfigMap, Basic auth from the init Secret, health and metrics ports, non-root.
// Creating API objects is the caller's business: CollectorConfigMap makes the ConfigMap,
// collectorContainer only describes the container that mounts it.
import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import type { Resources } from '../../contracts/spec/fields.ts';
import { BASIC_AUTH_ENV, COLLECTOR_PORTS, collectorConfigYaml, type CollectorConfigInput } from '../../contracts/collector-config.ts';
import { PULL, containerResources, containerSecurity } from '../pod-defaults.ts';

/** uid of the otel/opentelemetry-collector-* images. */
export const COLLECTOR_UID = 10001;
export const QUEUE_DIRECTORY = '/var/lib/otelcol/queue';

export interface CollectorConfigMapProps {
  /** Name of the ConfigMap; unique in the namespace. */
  readonly name: string;
  readonly config: CollectorConfigInput;
}

/** A ConfigMap holding one collector's config.yaml, and the pod volume that mounts it. */
export class CollectorConfigMap extends Construct {
  public readonly configMap: kplus.ConfigMap;
  public readonly volume: kplus.Volume;

  constructor(scope: Construct, id: string, props: CollectorConfigMapProps) {
    super(scope, id);
    this.configMap = new kplus.ConfigMap(this, 'configmap', {
      metadata: { name: props.name },
      data: { 'config.yaml': collectorConfigYaml(props.config) },
    });
    this.volume = kplus.Volume.fromConfigMap(this, 'volume', this.configMap, { name: 'config' });
  }
}

export interface CollectorContainerProps {
  /** Container name. */
  readonly name: string;
  readonly image: string;
  readonly resources: Resources;
  /** The volume of a CollectorConfigMap. */
  readonly configVolume: kplus.Volume;
  /** The Secret with key `basicAuth` = base64(publicKey:secretKey) for Langfuse. */
  readonly authSecret: kplus.ISecret;
  /**
   * Expose OTLP/HTTP on the node's IP (the node agent).
   * @default false
   */
  readonly hostPort?: boolean;
  /**
   * Also expose OTLP/gRPC.
   * @default false
   */
  readonly grpc?: boolean;
  /**
   * Mounted at QUEUE_DIRECTORY for the persistent sending queue; give it exactly when the
   * config has spec.collector.persistentQueue on.
   * @default no queue volume (the queue lives in memory)
   */
  readonly queueVolume?: kplus.Volume;
}

export function collectorContainer(props: CollectorContainerProps): kplus.ContainerProps {
  const mounts: kplus.VolumeMount[] = [{ path: '/conf', volume: props.configVolume, readOnly: true }];
  if (props.queueVolume) mounts.push({ path: QUEUE_DIRECTORY, volume: props.queueVolume });
  return {
    name: props.name,
    image: props.image,
    imagePullPolicy: PULL,
    args: ['--config=/conf/config.yaml'],
    ports: [
      { name: 'otlp-http', number: COLLECTOR_PORTS.otlpHttp, ...(props.hostPort ? { hostPort: COLLECTOR_PORTS.otlpHttp } : {}) },
      ...(props.grpc ? [{ name: 'otlp-grpc', number: COLLECTOR_PORTS.otlpGrpc }] : []),
      { name: 'metrics', number: COLLECTOR_PORTS.metrics },
      { name: 'health', number: COLLECTOR_PORTS.health },
    ],
    envVariables: { [BASIC_AUTH_ENV]: kplus.EnvValue.fromSecretValue({ secret: props.authSecret, key: 'basicAuth' }) },
    resources: containerResources(props.resources),
    securityContext: containerSecurity(COLLECTOR_UID),
    readiness: kplus.Probe.fromHttpGet('/', { port: COLLECTOR_PORTS.health, periodSeconds: Duration.seconds(5) }),
    liveness: kplus.Probe.fromHttpGet('/', { port: COLLECTOR_PORTS.health, periodSeconds: Duration.seconds(10) }),
    volumeMounts: mounts,
  };
}
