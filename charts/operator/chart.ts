// The operator, installable on its own: a Deployment running `tracelab operator` in the stack's
// namespace, its ServiceAccount, and least-privilege RBAC. Everything it may touch is in that
// one namespace (a Role, not a ClusterRole): it cannot read a Secret anywhere else. The one
// cluster-wide right is reading StorageClasses, to say up front that a profile names one the
// cluster lacks (e.g. gp3 on a fresh EKS cluster).
import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import type { Construct } from 'constructs';
import { GROUP, MANAGED_RESOURCES, OPERATOR, PLURAL } from '../../contracts/cluster-resource.ts';
import { PULL, containerResources, containerSecurity, labels, podSecurity } from '../pod-defaults.ts';

export interface OperatorChartProps {
  /** Where the operator runs and the only namespace it watches and manages. */
  readonly namespace: string;
  /**
   * The operator image (built from infra/cluster/operator.Dockerfile).
   * @default OPERATOR.image
   */
  readonly image?: string;
}

/** uid of the `node` user in the node:*-slim image the operator is built on. */
const OPERATOR_UID = 1000;

const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');

/** The rules the reconciler needs, and nothing more (test/cluster/operator-rbac.test.ts runs it with them). */
export function operatorRules(): Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }> {
  const manage = new Map<string, string[]>();
  for (const r of MANAGED_RESOURCES) manage.set(groupOf(r.apiVersion), [...(manage.get(groupOf(r.apiVersion)) ?? []), r.plural]);
  return [
    { apiGroups: [GROUP], resources: [PLURAL], verbs: ['get', 'list', 'watch', 'update', 'patch'] },
    { apiGroups: [GROUP], resources: [`${PLURAL}/status`], verbs: ['get', 'update', 'patch'] },
    { apiGroups: [GROUP], resources: [`${PLURAL}/finalizers`], verbs: ['update'] },
    ...[...manage].map(([group, resources]) => ({
      apiGroups: [group],
      resources,
      verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
    })),
    // Reporting a stage that does not become ready: its pods, their events and logs.
    { apiGroups: [''], resources: ['pods', 'events'], verbs: ['get', 'list'] },
    { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
    { apiGroups: ['apps'], resources: ['replicasets'], verbs: ['get', 'list'] },
  ];
}

export class OperatorChart extends Chart {
  constructor(scope: Construct, id: string, props: OperatorChartProps) {
    super(scope, id, { namespace: props.namespace, disableResourceNameHashes: true });
    const name = OPERATOR.name;
    const podLabels = labels(name, 'operator');
    const account = new kplus.ServiceAccount(this, 'account', { metadata: { name, labels: podLabels }, automountToken: true });

    new kplus.k8s.KubeRole(this, 'role', { metadata: { name, labels: podLabels }, rules: operatorRules() });
    new kplus.k8s.KubeRoleBinding(this, 'role-binding', {
      metadata: { name, labels: podLabels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace: props.namespace }],
    });
    const clusterName = `${name}-${props.namespace}`;
    new kplus.k8s.KubeClusterRole(this, 'storage-classes', {
      metadata: { name: clusterName, labels: podLabels },
      rules: [{ apiGroups: ['storage.k8s.io'], resources: ['storageclasses'], verbs: ['get'] }],
    });
    new kplus.k8s.KubeClusterRoleBinding(this, 'storage-classes-binding', {
      metadata: { name: clusterName, labels: podLabels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterName },
      subjects: [{ kind: 'ServiceAccount', name, namespace: props.namespace }],
    });

    const deployment = new kplus.Deployment(this, 'deployment', {
      metadata: { name, labels: podLabels },
      // One reconciler per namespace: no leader election, so never two at once.
      replicas: 1,
      strategy: kplus.DeploymentStrategy.recreate(),
      select: false,
      podMetadata: { labels: podLabels },
      serviceAccount: account,
      automountServiceAccountToken: true,
      securityContext: podSecurity(OPERATOR_UID),
    });
    deployment.select(kplus.LabelSelector.of({ labels: podLabels }));
    deployment.addContainer({
      name: 'operator',
      image: props.image ?? OPERATOR.image,
      imagePullPolicy: PULL,
      args: ['operator'],
      envVariables: { POD_NAMESPACE: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAMESPACE) },
      resources: containerResources({ requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } }),
      securityContext: containerSecurity(OPERATOR_UID),
    });
  }
}
