// One construct for every in-cluster datastore: a single-replica StatefulSet with a PVC
// template, a stable headless Service, and the pod hardening the image allows.
// postgres.ts, clickhouse.ts, redis.ts and object-store.ts only say how their image runs.
import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import type { Resources } from '../../contracts/spec/fields.ts';
import { toEnvVariables, type EnvList } from '../env.ts';
import { PULL, containerResources, containerSecurity, labels, memory, podSecurity } from '../pod-defaults.ts';

export interface StorePort {
  readonly name: string;
  readonly number: number;
}

export interface SingleNodeStoreProps {
  /** Object name, Service host and `app.kubernetes.io/name` label. */
  readonly name: string;
  readonly image: string;
  readonly resources: Resources;
  readonly storage: { readonly size: string; readonly storageClassName?: string };
  /** Where the PVC is mounted. */
  readonly dataPath: string;
  readonly ports: readonly StorePort[];
  /** The uid the image runs as. */
  readonly uid: number;
  readonly env?: EnvList;
  readonly command?: string[];
  readonly args?: string[];
  /** Extra writable paths (emptyDir), for images that write outside the data volume. */
  readonly scratchPaths?: readonly string[];
  /**
   * True for images whose entrypoint writes to the root filesystem.
   * @default false (read-only root filesystem)
   */
  readonly writableRoot?: boolean;
  readonly readiness: kplus.Probe;
  /** Runs before the main container with the data volume mounted (e.g. create a bucket dir). */
  readonly initCommand?: string[];
}

export class SingleNodeStore extends Construct {
  /** DNS name of the Service inside the namespace. */
  public readonly host: string;
  public readonly podLabels: Record<string, string>;
  public readonly ports: readonly StorePort[];

  constructor(scope: Construct, id: string, props: SingleNodeStoreProps) {
    super(scope, id);
    this.host = props.name;
    this.ports = props.ports;
    this.podLabels = labels(props.name, 'datastore');

    const service = new kplus.Service(this, 'service', {
      metadata: { name: props.name, labels: this.podLabels },
      clusterIP: 'None',
      ports: props.ports.map((p) => ({ name: p.name, port: p.number, targetPort: p.number })),
    });
    for (const [key, v] of Object.entries(this.podLabels)) service.selectLabel(key, v);

    const set = new kplus.StatefulSet(this, 'statefulset', {
      metadata: { name: props.name, labels: this.podLabels },
      service,
      replicas: 1,
      select: false,
      podMetadata: { labels: this.podLabels },
      automountServiceAccountToken: false,
      securityContext: podSecurity(props.uid),
      volumeClaimTemplates: [
        {
          name: 'data',
          storage: Size.mebibytes(memory(props.storage.size).toMebibytes()),
          storageClassName: props.storage.storageClassName,
          accessModes: [kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE],
        },
      ],
    });
    set.select(kplus.LabelSelector.of({ labels: this.podLabels }));

    const data = kplus.Volume.fromName(this, 'data', 'data');
    const security = containerSecurity(props.uid, props.writableRoot);
    if (props.initCommand) {
      set.addInitContainer({
        name: 'init',
        image: props.image,
        imagePullPolicy: PULL,
        command: props.initCommand,
        securityContext: security,
        resources: containerResources({ requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '64Mi' } }),
        volumeMounts: [{ path: props.dataPath, volume: data }],
      });
    }
    const container = set.addContainer({
      name: props.name,
      image: props.image,
      imagePullPolicy: PULL,
      command: props.command,
      args: props.args,
      ports: props.ports.map((p) => ({ name: p.name, number: p.number })),
      envVariables: toEnvVariables(this, props.env ?? []),
      resources: containerResources(props.resources),
      securityContext: security,
      readiness: props.readiness,
      startup: kplus.Probe.fromTcpSocket({ port: props.ports[0].number, failureThreshold: 60, periodSeconds: Duration.seconds(5) }),
      volumeMounts: [{ path: props.dataPath, volume: data }],
    });
    (props.scratchPaths ?? []).forEach((path, i) => {
      container.mount(path, kplus.Volume.fromEmptyDir(this, `scratch-${i}`, `scratch-${i}`));
    });
  }

  port(name: string): number {
    const found = this.ports.find((p) => p.name === name);
    if (!found) throw new Error(`${this.host} has no port named ${name}`);
    return found.number;
  }
}
