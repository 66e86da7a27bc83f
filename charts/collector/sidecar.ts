// The sidecar collector: a native sidecar (init container with restartPolicy Always) in the
// app's pod, bound to localhost. Kubernetes stops it after the app, so the app's final
// flush on SIGTERM still has somewhere to go.
import * as kplus from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { COLLECTOR_PORTS, type CollectorConfigInput } from '../../contracts/collector-config.ts';
import type { Resources } from '../../contracts/spec/fields.ts';
import { CollectorConfigMap, collectorContainer } from './container.ts';

export const SIDECAR_TRACES_URL = `http://127.0.0.1:${COLLECTOR_PORTS.otlpHttp}/v1/traces`;

export interface CollectorSidecarProps {
  /** The pod the sidecar joins. */
  readonly workload: kplus.Deployment;
  /** The app's name; the sidecar's ConfigMap is named after it. */
  readonly appName: string;
  readonly image: string;
  readonly resources: Resources;
  /** OTLP receiver on 127.0.0.1 (the point of a sidecar), health and metrics on the pod IP. */
  readonly config: CollectorConfigInput;
  /** The Secret with key `basicAuth` for Langfuse. */
  readonly authSecret: kplus.ISecret;
  /**
   * An emptyDir for the persistent sending queue (the config must have it on): survives
   * collector restarts within the pod.
   * @default false
   */
  readonly persistentQueue?: boolean;
}

/** Adds the sidecar container to the workload's pod, and creates its ConfigMap. */
export class CollectorSidecar extends Construct {
  constructor(scope: Construct, id: string, props: CollectorSidecarProps) {
    super(scope, id);
    const config = new CollectorConfigMap(this, 'config', { name: `${props.appName}-otel-sidecar-config`, config: props.config });
    const container = collectorContainer({
      name: 'otel-sidecar',
      image: props.image,
      resources: props.resources,
      configVolume: config.volume,
      authSecret: props.authSecret,
      queueVolume: props.persistentQueue ? kplus.Volume.fromEmptyDir(this, 'queue', 'otel-sidecar-queue') : undefined,
    });
    // A readiness probe on a native sidecar also holds the app back until the collector is up.
    props.workload.addInitContainer({ ...container, restartPolicy: kplus.ContainerRestartPolicy.ALWAYS });
  }
}
