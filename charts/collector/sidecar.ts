// The sidecar collector: a native sidecar (init container with restartPolicy Always) in the
// app's pod, bound to localhost. Kubernetes stops it after the app, so the app's final
// flush on SIGTERM still has somewhere to go.
import * as kplus from 'cdk8s-plus-33';
import type { Construct } from 'constructs';
import type { CollectorSpec } from '../../contracts/spec/schema.ts';
import { COLLECTOR_PORTS } from '../../contracts/collector-config.ts';
import { QUEUE_DIRECTORY, collectorContainer } from './container.ts';

export const SIDECAR_TRACES_URL = `http://127.0.0.1:${COLLECTOR_PORTS.otlpHttp}/v1/traces`;

export interface CollectorSidecarProps {
  readonly settings: CollectorSpec;
  readonly langfuseOtelEndpoint: string;
  /** The app's name; the sidecar's ConfigMap is named after it. */
  readonly appName: string;
}

export function addCollectorSidecar(scope: Construct, workload: kplus.Deployment, props: CollectorSidecarProps): void {
  const { settings } = props;
  const container = collectorContainer(scope, {
    name: 'otel-sidecar',
    configMapName: `${props.appName}-otel-sidecar-config`,
    image: settings.image,
    resources: settings.sidecar.resources,
    // OTLP only on localhost (that is the point of a sidecar); health and metrics on the pod IP
    // so the kubelet can probe and Prometheus can scrape.
    config: { settings, langfuseOtelEndpoint: props.langfuseOtelEndpoint, bindHost: '127.0.0.1', adminHost: '0.0.0.0', queueDirectory: QUEUE_DIRECTORY },
    // Survives collector restarts within the pod.
    queueVolume: kplus.Volume.fromEmptyDir(scope, 'otel-sidecar-queue', 'otel-sidecar-queue'),
  });
  // A readiness probe on a native sidecar also holds the app back until the collector is up.
  workload.addInitContainer({ ...container, restartPolicy: kplus.ContainerRestartPolicy.ALWAYS });
}
