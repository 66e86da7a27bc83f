// Profiles: named sets of defaults layered under the user's spec. The schema holds
// production-shaped defaults (Langfuse docs minimums); `kind` shrinks them to fit a laptop,
// `eks` uses gp3 volumes and managed ClickHouse and S3. The user's spec always wins.
import type { ProfileName, TraceLabInput } from './schema.ts';

type DeepPartial<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;
export type ProfilePreset = DeepPartial<NonNullable<TraceLabInput['spec']>>;

const res = (cpu: string, memory: string, limitCpu: string, limitMemory: string) => ({
  requests: { cpu, memory },
  limits: { cpu: limitCpu, memory: limitMemory },
});

/**
 * Ports the kind cluster config (infra/cluster/kind-config.yaml) maps to the laptop: the
 * Langfuse UI on localhost:3000 and the object store on localhost:9090 (browser media uploads
 * follow presigned URLs to it, as in Langfuse's docker-compose).
 */
export const KIND_PORTS = {
  web: { nodePort: 30300, hostPort: 3000 },
  objectStore: { nodePort: 30900, hostPort: 9090 },
} as const;

/**
 * What the kind profile's default stack (five topologies) may request in all, with one k6 Job
 * running; a test holds the profile to it. With kind's own control plane (~0.9 CPU requested,
 * ~1.5 GiB used) that fits a Docker VM of 4 CPUs and 8 GiB, the size the README asks for.
 */
export const KIND_BUDGET = { requests: { cpuMillis: 1500, memoryMiB: 4608 }, dockerVm: { cpus: 4, memoryGiB: 8 } } as const;

export const PROFILE_PRESETS: Record<ProfileName, ProfilePreset> = {
  // A laptop running kind: every request is far below the Langfuse docs minimums
  // (web/worker 2 CPU/4 GiB, ClickHouse 2 CPU/8 GiB); limits let a lab run burst.
  // Enough to ingest a lab run, not production.
  kind: {
    langfuse: {
      nodePort: KIND_PORTS.web.nodePort,
      web: { replicas: 1, resources: res('200m', '1Gi', '2', '2Gi') },
      worker: { replicas: 1, resources: res('100m', '512Mi', '2', '1536Mi') },
    },
    datastores: {
      postgres: { mode: 'in-cluster', storage: { size: '2Gi' }, resources: res('100m', '256Mi', '1', '1Gi') },
      clickhouse: { mode: 'in-cluster', storage: { size: '5Gi' }, resources: res('200m', '1Gi', '2', '3Gi') },
      redis: { mode: 'in-cluster', storage: { size: '1Gi' }, resources: res('50m', '64Mi', '500m', '512Mi') },
      objectStore: {
        mode: 'in-cluster',
        storage: { size: '2Gi' },
        resources: res('50m', '128Mi', '500m', '512Mi'),
        nodePort: KIND_PORTS.objectStore.nodePort,
        publicEndpoint: `http://localhost:${KIND_PORTS.objectStore.hostPort}`,
      },
    },
    collector: {
      gateway: { replicas: 1, resources: res('100m', '128Mi', '1', '512Mi') },
      agent: { resources: res('50m', '64Mi', '500m', '256Mi') },
      sidecar: { resources: res('50m', '64Mi', '500m', '256Mi') },
    },
    app: { resources: res('50m', '128Mi', '1', '512Mi') },
    load: { resources: res('250m', '128Mi', '1', '1Gi') },
  },
  // EKS staging: docs-minimum resources from the schema, gp3 volumes, and the two stores
  // Langfuse's scaling guide says to run as managed services in production: ClickHouse
  // (replicated, with Keeper — e.g. ClickHouse Cloud) and S3. A single-node in-cluster
  // ClickHouse is no staging rehearsal of production, so it is opt-in (mode: in-cluster).
  eks: {
    datastores: {
      postgres: { mode: 'in-cluster', storage: { size: '20Gi', storageClassName: 'gp3' } },
      clickhouse: { mode: 'external' },
      redis: { mode: 'in-cluster', storage: { size: '5Gi', storageClassName: 'gp3' } },
      objectStore: { mode: 'external' },
    },
    collector: { persistentQueue: { storage: { size: '2Gi', storageClassName: 'gp3' } } },
  },
};

/** Said under the problems when a profile's choice left fields for the user to fill in. */
export const PROFILE_HINTS: Record<ProfileName, ReadonlyArray<{ readonly path: string; readonly hint: string }>> = {
  kind: [],
  eks: [
    {
      path: 'spec.datastores.clickhouse',
      hint: 'the eks profile expects an external ClickHouse (url, migrationUrl, user, passwordSecretRef); set spec.datastores.clickhouse.mode: in-cluster for a single-node ClickHouse instead',
    },
    {
      path: 'spec.datastores.objectStore',
      hint: 'the eks profile stores events and media in S3: set spec.datastores.objectStore.bucket (and region); credentials come from IRSA unless credentialsSecretName is set',
    },
  ],
};

type Json = unknown;
const isPlainObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Layers `override` over `base`. Objects merge key by key; arrays and scalars are replaced.
 * A discriminated object (one with `mode`) whose mode differs is replaced whole, so a
 * profile's in-cluster defaults never leak into a datastore the user made external.
 * (A generic deep-merge library cannot express that last rule.)
 */
export function layer(base: Json, override: Json): Json {
  if (override === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(override)) return override;
  if ('mode' in override && 'mode' in base && override.mode !== base.mode) return override;
  const out: Record<string, Json> = { ...base };
  for (const [key, value] of Object.entries(override)) out[key] = layer(base[key], value);
  return out;
}

/** The raw document with the chosen profile's preset layered under its spec. */
export function applyProfile(raw: Json, profileOverride?: ProfileName): Json {
  if (!isPlainObject(raw)) return raw;
  const spec = isPlainObject(raw.spec) ? raw.spec : raw.spec === undefined ? {} : raw.spec;
  if (!isPlainObject(spec)) return raw;
  const profile = (profileOverride ?? spec.profile ?? 'kind') as ProfileName;
  const preset = PROFILE_PRESETS[profile];
  if (!preset) return raw; // the schema reports the bad profile name
  return { ...raw, spec: { ...(layer(preset, spec) as object), profile } };
}
