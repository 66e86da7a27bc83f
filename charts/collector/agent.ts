// The node agent: a collector per node (DaemonSet) listening on a hostPort. Apps of the
// `agent` topology reach their own node's agent through status.hostIP — a Service would not
// guarantee same-node routing. A hostPort is what Pod Security baseline and restricted
// refuse: the namespace chart relaxes enforcement when the agent is on (see namespace.ts).
import * as kplus from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { COLLECTOR_PORTS, type CollectorConfigInput } from '../../contracts/collector-config.ts';
import type { Resources } from '../../contracts/spec/fields.ts';
import { labels, podSecurity } from '../pod-defaults.ts';
import { COLLECTOR_UID, CollectorConfigMap, collectorContainer } from './container.ts';

export interface AgentProps {
  readonly image: string;
  readonly resources: Resources;
  readonly config: CollectorConfigInput;
  /** The Secret with key `basicAuth` for Langfuse. */
  readonly authSecret: kplus.ISecret;
  /**
   * Give the persistent sending queue a directory (the config must have it on): an emptyDir,
   * which survives collector restarts but not the loss of the pod (hostPath would need root).
   * @default false
   */
  readonly persistentQueue?: boolean;
}

export class Agent extends Construct {
  public static readonly NAME = 'otel-agent';
  /** The env var apps set from status.hostIP, and the URL that uses it. */
  public static readonly HOST_IP_ENV = 'HOST_IP';
  public static readonly TRACES_URL = `http://$(HOST_IP):${COLLECTOR_PORTS.otlpHttp}/v1/traces`;

  constructor(scope: Construct, id: string, props: AgentProps) {
    super(scope, id);
    const podLabels = labels(Agent.NAME, 'collector');
    const config = new CollectorConfigMap(this, 'config', { name: `${Agent.NAME}-config`, config: props.config });
    const daemonSet = new kplus.DaemonSet(this, 'daemonset', {
      metadata: { name: Agent.NAME, labels: podLabels },
      select: false,
      podMetadata: { labels: podLabels },
      automountServiceAccountToken: false,
      securityContext: podSecurity(COLLECTOR_UID),
      containers: [
        collectorContainer({
          name: 'collector',
          image: props.image,
          resources: props.resources,
          configVolume: config.volume,
          authSecret: props.authSecret,
          hostPort: true,
          queueVolume: props.persistentQueue ? kplus.Volume.fromEmptyDir(this, 'queue-volume', 'queue') : undefined,
        }),
      ],
    });
    daemonSet.select(kplus.LabelSelector.of({ labels: podLabels }));
  }
}
