// Langfuse web and worker: one construct, two roles, same backends.
import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import type { Resources } from '../../contracts/spec/fields.ts';
import { toEnvVariables, type EnvList } from '../env.ts';
import { PULL, containerResources, containerSecurity, labels, podSecurity } from '../pod-defaults.ts';

export type LangfuseRole = 'web' | 'worker';

export interface LangfuseServerProps {
  readonly role: LangfuseRole;
  readonly image: string;
  readonly replicas: number;
  readonly resources: Resources;
  /** The container's whole environment (langfuseEnv), in $(VAR)-safe order. */
  readonly env: EnvList;
  /**
   * Also expose the Service on this NodePort (kind maps it to localhost).
   * @default none: a ClusterIP Service
   */
  readonly nodePort?: number;
}

/** The upstream images run as this non-root uid. */
const LANGFUSE_UID = 1001;

const ROLE = {
  web: { port: 3000, health: '/api/public/health', ready: '/api/public/ready' },
  worker: { port: 3030, health: '/api/health', ready: '/api/ready' },
} as const;

export class LangfuseServer extends Construct {
  public readonly name: string;
  public readonly port: number;
  public readonly podLabels: Record<string, string>;
  public readonly service: kplus.Service;

  constructor(scope: Construct, id: string, props: LangfuseServerProps) {
    super(scope, id);
    const { role } = props;
    const { port, health, ready } = ROLE[role];
    this.name = `langfuse-${role}`;
    this.port = port;
    this.podLabels = labels(this.name, 'langfuse');

    const deployment = new kplus.Deployment(this, 'deployment', {
      metadata: { name: this.name, labels: this.podLabels },
      replicas: props.replicas,
      select: false,
      podMetadata: { labels: this.podLabels },
      automountServiceAccountToken: false,
      securityContext: podSecurity(LANGFUSE_UID),
      // Web turns /api/public/ready to 500 on SIGTERM; give in-flight ingestion time to finish.
      terminationGracePeriod: Duration.seconds(60),
    });
    deployment.select(kplus.LabelSelector.of({ labels: this.podLabels }));
    deployment.addContainer({
      name: role,
      image: props.image,
      imagePullPolicy: PULL,
      ports: [{ name: 'http', number: port }],
      envVariables: toEnvVariables(this, props.env),
      resources: containerResources(props.resources),
      // Next.js and Prisma write caches next to the app: the images need a writable root.
      securityContext: containerSecurity(LANGFUSE_UID, true),
      // Web runs Postgres and ClickHouse migrations at start; a kill mid-migration leaves
      // ClickHouse "dirty". Up to 10 minutes to start, liveness only after that.
      startup: kplus.Probe.fromHttpGet(health, { port, periodSeconds: Duration.seconds(10), failureThreshold: 60, timeoutSeconds: Duration.seconds(5) }),
      liveness: kplus.Probe.fromHttpGet(health, { port, periodSeconds: Duration.seconds(10), failureThreshold: 3, timeoutSeconds: Duration.seconds(5) }),
      readiness: kplus.Probe.fromHttpGet(ready, { port, periodSeconds: Duration.seconds(5), failureThreshold: 2, timeoutSeconds: Duration.seconds(5) }),
    });

    this.service = new kplus.Service(this, 'service', {
      metadata: { name: this.name, labels: this.podLabels },
      type: props.nodePort ? kplus.ServiceType.NODE_PORT : kplus.ServiceType.CLUSTER_IP,
      ports: [{ name: 'http', port, targetPort: port, ...(props.nodePort ? { nodePort: props.nodePort } : {}) }],
    });
    for (const [key, v] of Object.entries(this.podLabels)) this.service.selectLabel(key, v);
  }

  get url(): string {
    return `http://${this.name}:${this.port}`;
  }
}
