// The central collector (gateway): apps of the `collector` topology send here.
// With a persistent queue it is a StatefulSet (one PVC per replica), else a Deployment.
import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import type { CollectorSpec } from '../../contracts/spec/schema.ts';
import { labels, memory, podSecurity } from '../pod-defaults.ts';
import { COLLECTOR_PORTS } from '../../contracts/collector-config.ts';
import { COLLECTOR_UID, QUEUE_DIRECTORY, collectorContainer } from './container.ts';

export interface GatewayProps {
  readonly settings: CollectorSpec;
  readonly langfuseOtelEndpoint: string;
}

export class Gateway extends Construct {
  public static readonly NAME = 'otel-gateway';
  /** OTLP/HTTP traces URL for apps. */
  public readonly tracesUrl = `http://${Gateway.NAME}:${COLLECTOR_PORTS.otlpHttp}/v1/traces`;

  constructor(scope: Construct, id: string, props: GatewayProps) {
    super(scope, id);
    const podLabels = labels(Gateway.NAME, 'collector');
    const s = props.settings;
    const container = collectorContainer(this, {
      name: 'collector',
      configMapName: `${Gateway.NAME}-config`,
      image: s.image,
      resources: s.gateway.resources,
      config: { settings: s, langfuseOtelEndpoint: props.langfuseOtelEndpoint, bindHost: '0.0.0.0', grpc: true, queueDirectory: QUEUE_DIRECTORY },
      // The StatefulSet's PVC template of the same name.
      queueVolume: kplus.Volume.fromName(this, 'queue-volume', 'queue'),
    });
    const service = new kplus.Service(this, 'service', {
      metadata: { name: Gateway.NAME, labels: podLabels },
      ports: [
        { name: 'otlp-http', port: COLLECTOR_PORTS.otlpHttp, targetPort: COLLECTOR_PORTS.otlpHttp },
        { name: 'otlp-grpc', port: COLLECTOR_PORTS.otlpGrpc, targetPort: COLLECTOR_PORTS.otlpGrpc },
        { name: 'metrics', port: COLLECTOR_PORTS.metrics, targetPort: COLLECTOR_PORTS.metrics },
      ],
    });
    for (const [key, v] of Object.entries(podLabels)) service.selectLabel(key, v);

    const common = {
      metadata: { name: Gateway.NAME, labels: podLabels },
      replicas: s.gateway.replicas,
      select: false,
      podMetadata: { labels: podLabels },
      automountServiceAccountToken: false,
      securityContext: podSecurity(COLLECTOR_UID),
      containers: [container],
    };
    const workload = s.persistentQueue.enabled
      ? new kplus.StatefulSet(this, 'workload', {
          ...common,
          service,
          volumeClaimTemplates: [
            {
              name: 'queue',
              storage: Size.mebibytes(memory(s.persistentQueue.storage.size).toMebibytes()),
              storageClassName: s.persistentQueue.storage.storageClassName,
              accessModes: [kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE],
            },
          ],
        })
      : new kplus.Deployment(this, 'workload', common);
    workload.select(kplus.LabelSelector.of({ labels: podLabels }));
  }
}
