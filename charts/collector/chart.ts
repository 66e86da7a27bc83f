// Collectors shared by topologies: the gateway (always) and the node agent (when enabled).
// The sidecar lives in the app's pod and is added by the topologies chart.
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { Spec } from '../../contracts/spec/schema.ts';
import { Agent } from './agent.ts';
import { Gateway } from './gateway.ts';

export interface CollectorChartProps {
  readonly spec: Spec;
  readonly langfuseOtelEndpoint: string;
}

export class CollectorChart extends Chart {
  public readonly gatewayTracesUrl: string;

  constructor(scope: Construct, id: string, props: CollectorChartProps) {
    super(scope, id, { namespace: props.spec.namespace, disableResourceNameHashes: true });
    const gateway = new Gateway(this, 'gateway', { settings: props.spec.collector, langfuseOtelEndpoint: props.langfuseOtelEndpoint });
    if (props.spec.collector.agent.enabled) {
      new Agent(this, 'agent', { settings: props.spec.collector, langfuseOtelEndpoint: props.langfuseOtelEndpoint });
    }
    this.gatewayTracesUrl = gateway.tracesUrl;
  }
}
