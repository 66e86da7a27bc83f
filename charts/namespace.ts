import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import type { Construct } from 'constructs';

/** The namespace every other chart writes into; its own file so it is applied first. */
export class NamespaceChart extends Chart {
  constructor(scope: Construct, id: string, namespace: string) {
    super(scope, id, { disableResourceNameHashes: true });
    new kplus.Namespace(this, 'namespace', { metadata: { name: namespace, labels: { 'app.kubernetes.io/part-of': 'tracelab' } } });
  }
}
