// The central collector (gateway): apps of the `collector` topology send here.
// With a persistent queue it is a StatefulSet (one PVC per replica), else a Deployment.
import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { COLLECTOR_PORTS, type CollectorConfigInput } from '../../contracts/collector-config.ts';
import type { Resources } from '../../contracts/spec/fields.ts';
import { labels, memory, podSecurity } from '../pod-defaults.ts';
import { COLLECTOR_UID, CollectorConfigMap, collectorContainer } from './container.ts';

export interface GatewayProps {
  readonly image: string;
  readonly replicas: number;
  readonly resources: Resources;
  /** What config.yaml says (receivers, processors, the Langfuse exporter). */
  readonly config: CollectorConfigInput;
  /** The Secret with key `basicAuth` for Langfuse. */
  readonly authSecret: kplus.ISecret;
  /**
   * A PVC per replica for the persistent sending queue (the config must have it on).
   * @default none: a Deployment whose queue lives in memory
   */
  readonly queueStorage?: { readonly size: string; readonly storageClassName?: string };
}

export class Gateway extends Construct {
  public static readonly NAME = 'otel-gateway';
  /** OTLP/HTTP traces URL for apps. */
  public readonly tracesUrl = `http://${Gateway.NAME}:${COLLECTOR_PORTS.otlpHttp}/v1/traces`;

  constructor(scope: Construct, id: string, props: GatewayProps) {
    super(scope, id);
    const podLabels = labels(Gateway.NAME, 'collector');
    const config = new CollectorConfigMap(this, 'config', { name: `${Gateway.NAME}-config`, config: props.config });
    const container = collectorContainer({
      name: 'collector',
      image: props.image,
      resources: props.resources,
      configVolume: config.volume,
      authSecret: props.authSecret,
      grpc: true,
      // The StatefulSet's PVC template of the same name.
      queueVolume: props.queueStorage ? kplus.Volume.fromName(this, 'queue-volume', 'queue') : undefined,
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
      replicas: props.replicas,
      select: false,
      podMetadata: { labels: podLabels },
      automountServiceAccountToken: false,
      securityContext: podSecurity(COLLECTOR_UID),
      containers: [container],
    };
    const workload = props.queueStorage
      ? new kplus.StatefulSet(this, 'workload', {
          ...common,
          service,
          volumeClaimTemplates: [
            {
              name: 'queue',
              storage: Size.mebibytes(memory(props.queueStorage.size).toMebibytes()),
              storageClassName: props.queueStorage.storageClassName,
              accessModes: [kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE],
            },
          ],
        })
      : new kplus.Deployment(this, 'workload', common);
    workload.select(kplus.LabelSelector.of({ labels: podLabels }));
  }
}
