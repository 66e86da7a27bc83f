// The Kubernetes API as the reconciler uses it: plain JSON objects in and out.
// Configuration, authentication (certificates, tokens, exec plugins) and the HTTP stack are
// @kubernetes/client-node's; requests go through its RequestContext. Its typed object API is
// not used for objects: it (de)serializes through generated models, which silently drop fields
// the models do not know and turn timestamps into Dates — wrong for server-side apply of
// whatever the charts produce, and for diffing against the live object.
import { HttpMethod, IsomorphicFetchHttpLibrary, KubeConfig, RequestContext } from '@kubernetes/client-node';
import { FIELD_MANAGER, managedResource } from '../../contracts/cluster-resource.ts';

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    deletionTimestamp?: string;
    finalizers?: string[];
    ownerReferences?: Array<Record<string, unknown>>;
    managedFields?: Array<{ manager?: string; operation?: string; fieldsV1?: Record<string, unknown>; subresource?: string }>;
    [key: string]: unknown;
  };
  // biome-ignore lint/suspicious/noExplicitAny: API objects are arbitrary JSON
  spec?: any;
  // biome-ignore lint/suspicious/noExplicitAny: API objects are arbitrary JSON
  status?: any;
  [key: string]: unknown;
}

/** An API error with the server's own message, e.g. `spec.profile: Unsupported value: "minikube"`. */
export class KubeError extends Error {
  readonly status: number;
  readonly reason: string;
  constructor(status: number, reason: string, message: string) {
    super(message);
    this.name = 'KubeError';
    this.status = status;
    this.reason = reason;
  }
}

/** Kinds outside the managed set that tracelab reads or writes. */
const OTHER_RESOURCES: Record<string, { plural: string; namespaced: boolean }> = {
  'v1/Namespace': { plural: 'namespaces', namespaced: false },
  'v1/Pod': { plural: 'pods', namespaced: true },
  'v1/Event': { plural: 'events', namespaced: true },
  'v1/ServiceAccount': { plural: 'serviceaccounts', namespaced: true },
  'apps/v1/ReplicaSet': { plural: 'replicasets', namespaced: true },
  'tracelab.dev/v1alpha1/TraceLab': { plural: 'tracelabs', namespaced: true },
  'apiextensions.k8s.io/v1/CustomResourceDefinition': { plural: 'customresourcedefinitions', namespaced: false },
  'storage.k8s.io/v1/StorageClass': { plural: 'storageclasses', namespaced: false },
  'rbac.authorization.k8s.io/v1/Role': { plural: 'roles', namespaced: true },
  'rbac.authorization.k8s.io/v1/RoleBinding': { plural: 'rolebindings', namespaced: true },
  'rbac.authorization.k8s.io/v1/ClusterRole': { plural: 'clusterroles', namespaced: false },
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': { plural: 'clusterrolebindings', namespaced: false },
};

export function resourcePath(apiVersion: string, kind: string, namespace?: string, name?: string): string {
  const managed = managedResource(apiVersion, kind);
  const known = managed ? { plural: managed.plural, namespaced: true } : OTHER_RESOURCES[`${apiVersion}/${kind}`];
  if (!known) throw new Error(`tracelab does not know the resource for ${apiVersion} ${kind}`);
  const root = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  const ns = known.namespaced ? `/namespaces/${encodeURIComponent(namespace ?? '')}` : '';
  if (known.namespaced && !namespace) throw new Error(`${kind} is namespaced: give a namespace`);
  return `${root}${ns}/${known.plural}${name ? `/${encodeURIComponent(name)}` : ''}`;
}

export interface RequestOptions {
  readonly query?: Record<string, string | undefined>;
  readonly body?: unknown;
  readonly contentType?: string;
  /** @default 30 s: no request may hang a reconcile */
  readonly timeoutMs?: number;
}

export class Kube {
  readonly config: KubeConfig;
  readonly server: string;
  private readonly http = new IsomorphicFetchHttpLibrary();

  constructor(config: KubeConfig) {
    const cluster = config.getCurrentCluster();
    if (!cluster) throw new Error(`kubeconfig context "${config.getCurrentContext()}" names no cluster; check it with kubectl config view`);
    this.config = config;
    this.server = cluster.server.replace(/\/$/, '');
  }

  /** One request; the body is JSON. Throws KubeError for an API error, Error when the server is unreachable. */
  async request<T = unknown>(method: keyof typeof HttpMethod, path: string, options: RequestOptions = {}): Promise<{ body: T; warnings: string[] }> {
    const context = new RequestContext(`${this.server}${path}`, HttpMethod[method]);
    for (const [key, value] of Object.entries(options.query ?? {})) if (value !== undefined) context.setQueryParam(key, value);
    context.setHeaderParam('Accept', 'application/json');
    if (options.body !== undefined) {
      context.setHeaderParam('Content-Type', options.contentType ?? 'application/json');
      context.setBody(JSON.stringify(options.body));
    }
    context.setSignal(AbortSignal.timeout(options.timeoutMs ?? 30_000));
    await this.config.applySecurityAuthentication(context);
    let response: Awaited<ReturnType<typeof this.send>>;
    try {
      response = await this.send(context);
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new Error(
        `cannot reach the Kubernetes API at ${this.server} (context "${this.config.getCurrentContext()}"): ${cause?.message ?? (error as Error).message}. Is the cluster running, and is this the context you meant (--context)?`,
      );
    }
    const text = await response.body.text();
    const warnings = (response.headers.warning ?? '')
      .split(/,(?=\s*\d{3} )/)
      .map((w) =>
        w
          .replace(/^\s*\d{3} \S+ "?|"$/g, '')
          .replaceAll('\\"', '"')
          .trim(),
      )
      .filter(Boolean);
    if (response.httpStatusCode >= 400) {
      const status = safeJson(text) as { message?: string; reason?: string } | undefined;
      throw new KubeError(
        response.httpStatusCode,
        status?.reason ?? String(response.httpStatusCode),
        status?.message ?? (text || `HTTP ${response.httpStatusCode}`),
      );
    }
    return { body: (safeJson(text) ?? text) as T, warnings };
  }

  private send(context: RequestContext) {
    return this.http.send(context).toPromise();
  }

  async get<T extends KubeObject = KubeObject>(apiVersion: string, kind: string, namespace: string | undefined, name: string): Promise<T | undefined> {
    try {
      return (await this.request<T>('GET', resourcePath(apiVersion, kind, namespace, name))).body;
    } catch (error) {
      if (error instanceof KubeError && error.status === 404) return undefined;
      throw error;
    }
  }

  async list<T extends KubeObject = KubeObject>(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    query: { labelSelector?: string; fieldSelector?: string } = {},
  ): Promise<T[]> {
    const { body } = await this.request<{ items: T[] }>('GET', resourcePath(apiVersion, kind, namespace), { query });
    // Lists leave apiVersion and kind out of their items.
    return body.items.map((item) => ({ ...item, apiVersion, kind }));
  }

  /**
   * Server-side apply as field manager `tracelab`. Not forced unless asked: a field another
   * manager owns comes back as a 409 Conflict naming that manager. Unknown fields are an
   * error (Strict).
   */
  async apply<T extends KubeObject>(object: T, options: { dryRun?: boolean; force?: boolean } = {}): Promise<{ object: T; warnings: string[] }> {
    const { body, warnings } = await this.request<T>('PATCH', resourcePath(object.apiVersion, object.kind, object.metadata.namespace, object.metadata.name), {
      query: { fieldManager: FIELD_MANAGER, fieldValidation: 'Strict', dryRun: options.dryRun ? 'All' : undefined, force: options.force ? 'true' : undefined },
      body: object,
      contentType: 'application/apply-patch+yaml',
    });
    return { object: body, warnings };
  }

  async create<T extends KubeObject>(object: T): Promise<T> {
    const path = resourcePath(object.apiVersion, object.kind, object.metadata.namespace);
    return (await this.request<T>('POST', path, { query: { fieldManager: FIELD_MANAGER }, body: object })).body;
  }

  /** JSON merge patch; put metadata.resourceVersion in it for an optimistic-concurrency check. */
  async mergePatch<T extends KubeObject>(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    name: string,
    patch: object,
    subresource = '',
  ): Promise<T> {
    const path = `${resourcePath(apiVersion, kind, namespace, name)}${subresource ? `/${subresource}` : ''}`;
    const { body } = await this.request<T>('PATCH', path, { query: { fieldManager: FIELD_MANAGER }, body: patch, contentType: 'application/merge-patch+json' });
    return body;
  }

  /** Replaces the status subresource; a 409 means someone wrote in between (requeue). */
  async replaceStatus<T extends KubeObject>(object: T): Promise<T> {
    const path = `${resourcePath(object.apiVersion, object.kind, object.metadata.namespace, object.metadata.name)}/status`;
    return (await this.request<T>('PUT', path, { query: { fieldManager: FIELD_MANAGER }, body: object })).body;
  }

  /** Deletes; false when it was already gone. Background: owned objects (pods, PVCs) follow via the garbage collector. */
  async delete(apiVersion: string, kind: string, namespace: string | undefined, name: string): Promise<boolean> {
    try {
      await this.request('DELETE', resourcePath(apiVersion, kind, namespace, name), { body: { propagationPolicy: 'Background' } });
      return true;
    } catch (error) {
      if (error instanceof KubeError && error.status === 404) return false;
      throw error;
    }
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export interface KubeTarget {
  /** @default KUBECONFIG, then ~/.kube/config, then the in-cluster service account */
  readonly kubeconfig?: string;
  /** @default the kubeconfig's current context */
  readonly context?: string;
}

/** The kubeconfig and context as kubectl would pick them, with errors that say what to do. */
export function loadKubeConfig(target: KubeTarget = {}): KubeConfig {
  const config = new KubeConfig();
  try {
    if (target.kubeconfig) config.loadFromFile(target.kubeconfig);
    else config.loadFromDefault();
  } catch (error) {
    throw new Error(`cannot read kubeconfig ${target.kubeconfig ?? process.env.KUBECONFIG ?? '~/.kube/config'}: ${(error as Error).message}`);
  }
  if (target.context) {
    if (!config.getContextObject(target.context)) {
      const known = config.getContexts().map((c) => c.name);
      throw new Error(`kubeconfig has no context "${target.context}"${known.length ? `; it has: ${known.join(', ')}` : ''}`);
    }
    config.setCurrentContext(target.context);
  }
  if (!config.getCurrentCluster()) {
    throw new Error('no Kubernetes cluster configured: set KUBECONFIG or --kubeconfig, or pick a context with --context (see kubectl config get-contexts)');
  }
  return config;
}
