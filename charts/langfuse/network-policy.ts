// Only Langfuse web and worker may reach the datastores. A store exposed on a NodePort
// (the kind profile's object store, for browser media uploads through presigned URLs) also
// lets anyone in on that one port: the signature on each URL is what guards it.
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-33';
import { LABEL } from '../pod-defaults.ts';
import type { SingleNodeStore } from './single-node-store.ts';

export interface DatastoreIsolationProps {
  readonly stores: readonly SingleNodeStore[];
}

export class DatastoreIsolation extends Construct {
  constructor(scope: Construct, id: string, props: DatastoreIsolationProps) {
    super(scope, id);
    const tcp = (port: number) => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) });
    for (const store of props.stores) {
      new k8s.KubeNetworkPolicy(this, store.host, {
        metadata: { name: `${store.host}-from-langfuse-only` },
        spec: {
          podSelector: { matchLabels: store.podLabels },
          policyTypes: ['Ingress'],
          ingress: [
            { from: [{ podSelector: { matchLabels: { [LABEL.component]: 'langfuse' } } }], ports: store.ports.map((p) => tcp(p.number)) },
            ...(store.exposedPort ? [{ ports: [tcp(store.exposedPort)] }] : []),
          ],
        },
      });
    }
  }
}
