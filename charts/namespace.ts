import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import type { Construct } from 'constructs';

export interface NamespaceChartProps {
  readonly namespace: string;
  /**
   * Whether a workload of the stack needs a hostPort (the node agent). Pod Security baseline
   * and restricted both refuse hostPorts, so such a namespace is only warned and audited at
   * `restricted`; without one, `restricted` is enforced, which every other pod meets.
   */
  readonly hostPorts: boolean;
}

/** The namespace every other chart writes into; its own file so it is applied first. */
export class NamespaceChart extends Chart {
  constructor(scope: Construct, id: string, props: NamespaceChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const podSecurity: Record<string, string> = props.hostPorts
      ? { 'pod-security.kubernetes.io/warn': 'restricted', 'pod-security.kubernetes.io/audit': 'restricted' }
      : { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/warn': 'restricted' };
    new kplus.Namespace(this, 'namespace', { metadata: { name: props.namespace, labels: { 'app.kubernetes.io/part-of': 'tracelab', ...podSecurity } } });
  }
}
