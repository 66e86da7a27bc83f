// Helpers for tests that run the real target app, sink and collector on loopback.
import { targetSettings, type TargetSettings } from '../../contracts/target-app.ts';
import { parseSpec } from '../../contracts/spec/read.ts';
import type { TopologyKind } from '../../contracts/spec/schema.ts';
import { TOPOLOGY_EXPORT } from '../../contracts/spec/topology.ts';
import { DEFAULT_SPEC_TEXT } from './specs.ts';

export const defaultDoc = () => parseSpec(DEFAULT_SPEC_TEXT, 'tracelab.yaml');

type Overrides = {
  sdk?: Partial<TargetSettings['sdk']>;
  instrumentation?: Partial<TargetSettings['instrumentation']>;
  workload?: Partial<TargetSettings['workload']>;
};

/** Settings as the lab would derive them, with a short flush interval so tests finish fast. */
export function settingsFor(kind: TopologyKind, endpoint: string | undefined, overrides: Overrides = {}, name: string = kind): TargetSettings {
  const doc = defaultDoc();
  const topology = doc.spec.topologies.find((t) => t.topology === kind)!;
  const base = targetSettings({ ...topology, name }, doc.spec.app.workload, TOPOLOGY_EXPORT[kind].tracing, endpoint, 0);
  return {
    ...base,
    sdk: { ...base.sdk, flushIntervalMs: 100, ...overrides.sdk },
    instrumentation: { ...base.instrumentation, ...overrides.instrumentation },
    workload: { ...base.workload, llmLatencyMs: 5, llmJitterMs: 1, ...overrides.workload },
  };
}

export interface ChatOutcome {
  ok: number;
  failed: number;
}

/** Sends `count` chat requests, `concurrency` at a time. Bounded by count. */
export async function sendChats(appUrl: string, count: number, concurrency = 4): Promise<ChatOutcome> {
  const outcome = { ok: 0, failed: 0 };
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const response = await fetch(`${appUrl}/webhook/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId: `user-${i % 7}`, sessionId: `session-${i % 3}`, message: `message ${i}` }),
        signal: AbortSignal.timeout(10_000),
      }).catch(() => undefined);
      if (response?.ok) outcome.ok++;
      else outcome.failed++;
      await response?.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return outcome;
}

export interface SinkStats {
  totals: { spans: number; traces: number; rootSpans: number; generations: number };
  groups: Array<{
    topology: string;
    run: string;
    spans: number;
    traces: number;
    rootSpans: number;
    generations: number;
    lag: { count: number; p50Ms: number };
  }>;
  rejected: Record<string, number>;
}

export const sinkStats = async (sinkUrl: string): Promise<SinkStats> => (await fetch(`${sinkUrl}/stats`)).json() as Promise<SinkStats>;

/** Polls the sink until `spans` arrived (or the time is up), then returns its stats. */
export async function waitForSpans(sinkUrl: string, spans: number, timeoutMs = 15_000): Promise<SinkStats> {
  const deadline = Date.now() + timeoutMs;
  let stats = await sinkStats(sinkUrl);
  while (stats.totals.spans < spans && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    stats = await sinkStats(sinkUrl);
  }
  return stats;
}
