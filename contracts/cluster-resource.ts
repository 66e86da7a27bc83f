// What the charts, the reconciler and the operator's RBAC agree on about the TraceLab custom
// resource and the objects it owns: API identity, ownership labels, the finalizer, the field
// manager, the order stages come up in, and every kind a stack may contain.

export const GROUP = 'tracelab.dev';
export const VERSION = 'v1alpha1';
export const PLURAL = 'tracelabs';
export const CRD_NAME = `${PLURAL}.${GROUP}`;

/** Server-side apply field manager for everything tracelab applies. */
export const FIELD_MANAGER = 'tracelab';
/** Held on a TraceLab until what it made is deleted. */
export const FINALIZER = 'tracelab.dev/cleanup';

export const OWNER_LABEL = {
  managedBy: 'app.kubernetes.io/managed-by',
  /** The TraceLab's name; with the namespace it identifies the owner. */
  instance: 'tracelab.dev/instance',
  /** Which stage an object comes up in (STAGES). */
  stage: 'tracelab.dev/stage',
} as const;
export const MANAGED_BY = 'tracelab';

/**
 * The order a stack comes up in. Langfuse web runs the database migrations at start, so it
 * must be ready before the worker; collectors need Langfuse; apps need their collectors; the
 * k6 Jobs are created suspended and only need to exist.
 */
export const STAGES = ['datastores', 'web', 'worker', 'collectors', 'apps', 'loadtest'] as const;
export type Stage = (typeof STAGES)[number];

export interface ManagedResource {
  readonly apiVersion: string;
  readonly kind: string;
  /** The resource name in API paths and RBAC rules. */
  readonly plural: string;
}

/**
 * Every namespaced kind a stack may contain (and the reconciler lists when pruning or
 * cleaning up). Secrets are the ones tracelab generated; PVCs come from StatefulSets.
 */
export const MANAGED_RESOURCES: readonly ManagedResource[] = [
  { apiVersion: 'v1', kind: 'ConfigMap', plural: 'configmaps' },
  { apiVersion: 'v1', kind: 'Service', plural: 'services' },
  { apiVersion: 'v1', kind: 'Secret', plural: 'secrets' },
  { apiVersion: 'v1', kind: 'PersistentVolumeClaim', plural: 'persistentvolumeclaims' },
  { apiVersion: 'apps/v1', kind: 'Deployment', plural: 'deployments' },
  { apiVersion: 'apps/v1', kind: 'StatefulSet', plural: 'statefulsets' },
  { apiVersion: 'apps/v1', kind: 'DaemonSet', plural: 'daemonsets' },
  { apiVersion: 'batch/v1', kind: 'Job', plural: 'jobs' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', plural: 'networkpolicies' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', plural: 'ingresses' },
];

export function managedResource(apiVersion: string, kind: string): ManagedResource | undefined {
  return MANAGED_RESOURCES.find((r) => r.apiVersion === apiVersion && r.kind === kind);
}

/** The operator as `tracelab synth --operator` writes it. */
export const OPERATOR = {
  name: 'tracelab-operator',
  image: 'tracelab/operator:0.1.0',
} as const;
