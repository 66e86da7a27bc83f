// Profiles: named sets of defaults layered under the user's spec. The schema holds
// production-shaped defaults (Langfuse docs minimums); `kind` shrinks them to fit a laptop,
// `eks` pins a storage class. The user's spec always wins over the profile.
import type { ProfileName, TraceLabInput } from './schema.ts';

type DeepPartial<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;
export type ProfilePreset = DeepPartial<NonNullable<TraceLabInput['spec']>>;

const res = (cpu: string, memory: string, limitCpu: string, limitMemory: string) => ({
  requests: { cpu, memory },
  limits: { cpu: limitCpu, memory: limitMemory },
});

export const PROFILE_PRESETS: Record<ProfileName, ProfilePreset> = {
  // A laptop running kind: every request is far below the Langfuse docs minimums
  // (web/worker 2 CPU/4 GiB, ClickHouse 2 CPU/8 GiB). Enough to ingest a lab run, not production.
  kind: {
    langfuse: {
      web: { replicas: 1, resources: res('250m', '1Gi', '2', '2Gi') },
      worker: { replicas: 1, resources: res('250m', '1Gi', '2', '2Gi') },
    },
    datastores: {
      postgres: { mode: 'in-cluster', storage: { size: '2Gi' }, resources: res('100m', '256Mi', '1', '1Gi') },
      clickhouse: { mode: 'in-cluster', storage: { size: '5Gi' }, resources: res('250m', '1Gi', '2', '3Gi') },
      redis: { mode: 'in-cluster', storage: { size: '1Gi' }, resources: res('50m', '128Mi', '500m', '512Mi') },
      objectStore: { mode: 'in-cluster', storage: { size: '2Gi' }, resources: res('50m', '128Mi', '500m', '512Mi') },
    },
    collector: {
      gateway: { replicas: 1, resources: res('200m', '256Mi', '1', '512Mi') },
      agent: { resources: res('100m', '128Mi', '500m', '256Mi') },
      sidecar: { resources: res('100m', '128Mi', '500m', '256Mi') },
    },
    app: { resources: res('500m', '256Mi', '1', '512Mi') },
  },
  // EKS staging: docs-minimum resources from the schema, gp3 volumes.
  eks: {
    datastores: {
      postgres: { mode: 'in-cluster', storage: { size: '20Gi', storageClassName: 'gp3' } },
      clickhouse: { mode: 'in-cluster', storage: { size: '50Gi', storageClassName: 'gp3' } },
      redis: { mode: 'in-cluster', storage: { size: '5Gi', storageClassName: 'gp3' } },
      objectStore: { mode: 'in-cluster', storage: { size: '20Gi', storageClassName: 'gp3' } },
    },
    collector: { persistentQueue: { storage: { size: '2Gi', storageClassName: 'gp3' } } },
  },
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
