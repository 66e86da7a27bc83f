// The node agent: a collector per node (DaemonSet) listening on a hostPort. Apps of the
// `agent` topology reach their own node's agent through status.hostIP — a Service would not
// guarantee same-node routing.
import * as kplus from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import type { CollectorSpec } from '../../contracts/spec/schema.ts';
import { labels, podSecurity } from '../pod-defaults.ts';
import { COLLECTOR_PORTS } from '../../contracts/collector-config.ts';
import { COLLECTOR_UID, QUEUE_DIRECTORY, collectorContainer } from './container.ts';

export interface AgentProps {
  readonly settings: CollectorSpec;
  readonly langfuseOtelEndpoint: string;
}

export class Agent extends Construct {
  public static readonly NAME = 'otel-agent';
  /** The env var apps set from status.hostIP, and the URL that uses it. */
  public static readonly HOST_IP_ENV = 'HOST_IP';
  public static readonly TRACES_URL = `http://$(HOST_IP):${COLLECTOR_PORTS.otlpHttp}/v1/traces`;

  constructor(scope: Construct, id: string, props: AgentProps) {
    super(scope, id);
    const podLabels = labels(Agent.NAME, 'collector');
    const s = props.settings;
    const daemonSet = new kplus.DaemonSet(this, 'daemonset', {
      metadata: { name: Agent.NAME, labels: podLabels },
      select: false,
      podMetadata: { labels: podLabels },
      automountServiceAccountToken: false,
      securityContext: podSecurity(COLLECTOR_UID),
      containers: [
        collectorContainer(this, {
          name: 'collector',
          configMapName: `${Agent.NAME}-config`,
          image: s.image,
          resources: s.agent.resources,
          hostPort: true,
          config: { settings: s, langfuseOtelEndpoint: props.langfuseOtelEndpoint, bindHost: '0.0.0.0', queueDirectory: QUEUE_DIRECTORY },
          // emptyDir: survives collector restarts, not the loss of the pod (hostPath would need root).
          queueVolume: kplus.Volume.fromEmptyDir(this, 'queue-volume', 'queue'),
        }),
      ],
    });
    daemonSet.select(kplus.LabelSelector.of({ labels: podLabels }));
  }
}
