// Where the lab's spans go and how it counts what arrived: ingest-sink (the default stand-in,
// fast and light, started per run) or a real Langfuse given by URL, with its keys from the
// environment (never from the spec, never printed). Either way the lab gets one interface:
// a base URL and keys to export to, and a bounded drain that counts one slot's spans.
import { slotEnvironment } from '../../contracts/slot-environment.ts';
import { LangfuseApi, type LangfuseKeys, maskKey } from '../langfuse/public-api.ts';
import type { BackendCounters } from '../load/record.ts';
import { singleValueLag } from '../../contracts/sink-stats.ts';
import { backendCounters } from './scrape.ts';
import type { Progress } from '../tools/resolve.ts';
import { SINK_KEYS, type SinkService, startSink, type StartOptions } from './services.ts';
import { type SinkDatastores, startSinkDatastores } from './sink-datastores.ts';

export type BackendKind = 'ingest-sink' | 'langfuse';

export interface BackendInfo {
  readonly kind: BackendKind;
  readonly url: string;
  /** ingest-sink only: count (answers after decoding) or queue (Langfuse web's work first). */
  readonly sinkMode?: 'count' | 'queue';
  /** Langfuse's /api/public/health version; the stand-in has none. */
  readonly version?: string;
  /** What a reader of the report must know about it (e.g. the local Langfuse's non-stock part). */
  readonly note?: string;
}

export interface LabBackend {
  readonly info: BackendInfo;
  /** Base URL apps (…/api/public/otel/v1/traces) and collectors export to. */
  readonly baseUrl: string;
  readonly keys: LangfuseKeys;
  /** Before the slot's load: the stand-in starts a new run label. */
  beginSlot(label: string): Promise<void>;
  /**
   * Counts the slot's spans until `expected` arrived or `timeoutMs` passed. drainMs is how
   * long that took after the app's flush returned; for Langfuse it is time-to-queryable.
   * `arrivals`: count every span that arrived, a repeated one (same ids) included — for a
   * generator that sends one pre-encoded batch again and again (the gateway's ceiling).
   */
  drain(label: string, expected: number, timeoutMs: number, options?: { arrivals?: boolean }): Promise<BackendCounters>;
  /** Processes of the backend on this machine that the lab owns (their CPU is the lab's own). */
  processIds(): number[];
  /** ingest-sink only: the sink itself, whose admin API fault runs drive. */
  readonly sink?: SinkService;
  stop(): Promise<void>;
}

/** What the CLI chose: the stand-in, or a Langfuse by URL with keys from env. */
export type BackendChoice =
  | { readonly kind: 'ingest-sink'; readonly sinkMode?: 'count' | 'queue' }
  | { readonly kind: 'langfuse'; readonly url: string; readonly keys: LangfuseKeys; readonly note?: string; readonly localPids?: readonly number[] };

const POLL_MS = 250;

/** Keys from LANGFUSE_PUBLIC_KEY / LANGFUSE_SECRET_KEY, with an error naming what is missing. */
export function keysFromEnv(env: NodeJS.ProcessEnv = process.env): LangfuseKeys {
  const missing = ['LANGFUSE_PUBLIC_KEY', 'LANGFUSE_SECRET_KEY'].filter((k) => !env[k]);
  if (missing.length > 0) {
    throw new Error(
      `--backend langfuse needs ${missing.join(' and ')} in the environment (a project's API keys; \`tracelab langfuse up\` writes them to a keys file to source)`,
    );
  }
  return { publicKey: env.LANGFUSE_PUBLIC_KEY as string, secretKey: env.LANGFUSE_SECRET_KEY as string };
}

export async function startBackend(choice: BackendChoice, options: StartOptions & { progress?: Progress }): Promise<LabBackend> {
  if (choice.kind === 'langfuse')
    return langfuseBackend(choice.url, choice.keys, choice.note, choice.localPids ? () => [...(choice.localPids ?? [])] : undefined);
  const mode = choice.sinkMode ?? 'queue';
  const say = options.progress ?? (() => {});
  let datastores: SinkDatastores | undefined;
  if (mode === 'queue') {
    say("Starting the sink's datastores (Redis, MinIO): it answers only after Langfuse's key check, S3 write and queue job...");
    datastores = await startSinkDatastores(say, options);
  }
  try {
    // Admin on a port of its own, so a fault run can refuse connections on the ingestion port.
    return sinkBackend(await startSink({ ...options, adminPort: true, queue: datastores?.sinkEnv }), mode, datastores);
  } catch (error) {
    await datastores?.stop();
    throw error;
  }
}

function sinkBackend(sink: SinkService, sinkMode: 'count' | 'queue', datastores?: SinkDatastores): LabBackend {
  return {
    info: { kind: 'ingest-sink', url: sink.url, sinkMode },
    baseUrl: sink.url,
    keys: SINK_KEYS,
    sink,
    async beginSlot(label) {
      const response = await fetch(`${sink.adminUrl}/admin/run`, { method: 'POST', body: JSON.stringify({ run: label }), signal: AbortSignal.timeout(10_000) });
      if (!response.ok) throw new Error(`ingest-sink /admin/run answered ${response.status}`);
      await response.arrayBuffer();
    },
    async drain(label, expected, timeoutMs, options) {
      const started = Date.now();
      const arrived = (c: BackendCounters) => c.spans + (options?.arrivals ? (c.duplicates ?? 0) : 0);
      let counters = await backendCounters(sink.adminUrl, label);
      while (arrived(counters) < expected && Date.now() - started < timeoutMs) {
        await new Promise((r) => setTimeout(r, 100));
        counters = await backendCounters(sink.adminUrl, label);
      }
      return { ...counters, drainMs: Date.now() - started };
    },
    processIds: () => [sink, ...(datastores?.services ?? [])].flatMap((s) => (s.process.pid ? [s.process.pid] : [])),
    stop: async () => {
      await sink.process.stop(10_000);
      await datastores?.stop();
    },
  };
}

/**
 * A Langfuse the lab does not own: checked before any load (reachable, healthy, keys accepted),
 * counted through the public API by each slot's environment.
 */
export async function langfuseBackend(url: string, keys: LangfuseKeys, note?: string, localPids?: () => number[]): Promise<LabBackend> {
  const api = new LangfuseApi(url, keys);
  const { version } = await api.health();
  await api.checkKeys();
  const major = Number(version.split('.')[0]) || 3;
  const since = new Date();
  return {
    info: { kind: 'langfuse', url: api.baseUrl, version, note },
    baseUrl: api.baseUrl,
    keys,
    beginSlot: async () => {},
    async drain(label, expected, timeoutMs) {
      const environment = slotEnvironment(label);
      const started = Date.now();
      let spans = await api.countObservations(environment, major, since);
      while (spans < expected && Date.now() - started < timeoutMs) {
        await new Promise((r) => setTimeout(r, POLL_MS));
        spans = await api.countObservations(environment, major, since);
      }
      const queryableMs = Date.now() - started;
      // One time-to-queryable per slot (the latest span's), so every span of it gets that lag.
      return { spans, traces: 0, rootSpans: 0, generations: 0, lag: { ...singleValueLag(queryableMs, spans), maxMs: queryableMs }, drainMs: queryableMs };
    },
    processIds: () => localPids?.() ?? [],
    stop: async () => {},
  };
}

export const describeBackend = (info: BackendInfo, keys?: LangfuseKeys) =>
  info.kind === 'ingest-sink'
    ? `ingest-sink (Langfuse stand-in, ${info.sinkMode ?? 'count'} mode) at ${info.url}`
    : `Langfuse ${info.version} at ${info.url}${keys ? ` (public key ${maskKey(keys.publicKey)})` : ''}`;
