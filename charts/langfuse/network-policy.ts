// Only Langfuse web and worker may reach the datastores.
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-33';
import { LABEL } from '../pod-defaults.ts';
import type { SingleNodeStore } from './single-node-store.ts';

export class DatastoreIsolation extends Construct {
  constructor(scope: Construct, id: string, stores: readonly SingleNodeStore[]) {
    super(scope, id);
    for (const store of stores) {
      new k8s.KubeNetworkPolicy(this, store.host, {
        metadata: { name: `${store.host}-from-langfuse-only` },
        spec: {
          podSelector: { matchLabels: store.podLabels },
          policyTypes: ['Ingress'],
          ingress: [
            {
              from: [{ podSelector: { matchLabels: { [LABEL.component]: 'langfuse' } } }],
              ports: store.ports.map((p) => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(p.number) })),
            },
          ],
        },
      });
    }
  }
}
