// Collectors shared by topologies: the gateway (always) and the node agent (when enabled).
// The sidecar lives in the app's pod and is added by the topologies chart.
import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import type { Construct } from 'constructs';
import type { Spec } from '../../contracts/spec/schema.ts';
import { SECRET } from '../secrets.ts';
import { labelStage } from '../stage.ts';
import { Agent } from './agent.ts';
import { QUEUE_DIRECTORY } from './container.ts';
import { Gateway } from './gateway.ts';

export interface CollectorChartProps {
  readonly spec: Spec;
  readonly langfuseOtelEndpoint: string;
}

export class CollectorChart extends Chart {
  public readonly gatewayTracesUrl: string;

  constructor(scope: Construct, id: string, props: CollectorChartProps) {
    super(scope, id, { namespace: props.spec.namespace, disableResourceNameHashes: true });
    const s = props.spec.collector;
    const authSecret = kplus.Secret.fromSecretName(this, 'init-secret', SECRET.init);
    const config = { settings: s, langfuseOtelEndpoint: props.langfuseOtelEndpoint, bindHost: '0.0.0.0', queueDirectory: QUEUE_DIRECTORY };
    const gateway = new Gateway(this, 'gateway', {
      image: s.image,
      replicas: s.gateway.replicas,
      resources: s.gateway.resources,
      config: { ...config, grpc: true },
      authSecret,
      queueStorage: s.persistentQueue.enabled ? s.persistentQueue.storage : undefined,
    });
    if (s.agent.enabled) {
      new Agent(this, 'agent', { image: s.image, resources: s.agent.resources, config, authSecret, persistentQueue: s.persistentQueue.enabled });
    }
    this.gatewayTracesUrl = gateway.tracesUrl;
    labelStage(this, 'collectors');
  }
}
