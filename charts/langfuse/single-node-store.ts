// One construct for every in-cluster datastore: a single-replica StatefulSet with a PVC
// template, a stable headless Service, and the pod hardening the image allows.
// datastores.ts only says how each image runs.
import { ApiObject, Duration, JsonPatch, Size } from 'cdk8s';
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
  /**
   * A command run inside the container that exits 0 once the store serves (startup and
   * readiness probe). Exec, not HTTP/TCP: the kubelet probes from the node, and kindnet's
   * NetworkPolicy enforcement can drop that traffic to fenced pods (kind#3875); a command
   * inside the container never crosses the network.
   */
  readonly healthCommand: readonly string[];
  /** @default no extra env */
  readonly env?: EnvList;
  /** @default the image's entrypoint */
  readonly command?: string[];
  /** @default the image's arguments */
  readonly args?: string[];
  /**
   * Extra writable paths (emptyDir), for images that write outside the data volume.
   * @default none
   */
  readonly scratchPaths?: readonly string[];
  /**
   * True for images whose entrypoint writes to the root filesystem.
   * @default false (read-only root filesystem)
   */
  readonly writableRoot?: boolean;
  /**
   * Runs before the main container with the data volume mounted (e.g. create a bucket dir).
   * @default no init container
   */
  readonly initCommand?: string[];
  /**
   * Also expose one port outside the cluster through a NodePort Service `<name>-nodeport`.
   * @default none: reachable from inside the cluster only
   */
  readonly nodePort?: { readonly port: string; readonly nodePort: number };
}

export class SingleNodeStore extends Construct {
  /** DNS name of the Service inside the namespace. */
  public readonly host: string;
  public readonly podLabels: Record<string, string>;
  public readonly ports: readonly StorePort[];
  /** The port exposed on every node, if any (NetworkPolicies must let it in). */
  public readonly exposedPort?: number;

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
    if (props.nodePort) {
      const port = this.port(props.nodePort.port);
      this.exposedPort = port;
      const exposed = new kplus.Service(this, 'nodeport', {
        metadata: { name: `${props.name}-nodeport`, labels: this.podLabels },
        type: kplus.ServiceType.NODE_PORT,
        ports: [{ name: props.nodePort.port, port, targetPort: port, nodePort: props.nodePort.nodePort }],
      });
      for (const [key, v] of Object.entries(this.podLabels)) exposed.selectLabel(key, v);
    }

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
    // The PVC goes with the StatefulSet: deleting a TraceLab leaves no volume behind.
    // (cdk8s-plus has no prop for it.)
    ApiObject.of(set).addJsonPatch(JsonPatch.add('/spec/persistentVolumeClaimRetentionPolicy', { whenDeleted: 'Delete', whenScaled: 'Retain' }));

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
    const health = [...props.healthCommand];
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
      readiness: kplus.Probe.fromCommand(health, { periodSeconds: Duration.seconds(5), timeoutSeconds: Duration.seconds(3) }),
      startup: kplus.Probe.fromCommand(health, { failureThreshold: 60, periodSeconds: Duration.seconds(5), timeoutSeconds: Duration.seconds(3) }),
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
