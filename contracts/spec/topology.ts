// What each topology means for the app: which tracing mode it runs and where its spans go.
// Both targets (local lab and cluster charts) resolve endpoints through this one table.
import type { TopologyKind } from './schema.ts';

export type TracingMode = 'none' | 'langfuse' | 'otlp';

/** Where spans can be sent, as the target at hand reaches them. */
export interface ExportEndpoints {
  /** Langfuse (or ingest-sink) base URL, e.g. http://langfuse-web:3000 */
  readonly langfuseBaseUrl: string;
  /** OTLP/HTTP traces URLs of the collectors. */
  readonly gatewayTracesUrl: string;
  readonly sidecarTracesUrl: string;
  readonly agentTracesUrl: string;
}

export const TOPOLOGY_EXPORT: Record<TopologyKind, { tracing: TracingMode; endpoint?: keyof ExportEndpoints; description: string }> = {
  baseline: { tracing: 'none', description: 'tracing off: no SDK loaded' },
  inprocess: { tracing: 'langfuse', endpoint: 'langfuseBaseUrl', description: 'Langfuse span processor exports straight to Langfuse' },
  collector: { tracing: 'otlp', endpoint: 'gatewayTracesUrl', description: 'OTLP to the central collector (gateway)' },
  sidecar: { tracing: 'otlp', endpoint: 'sidecarTracesUrl', description: 'OTLP to a collector in the same pod' },
  agent: { tracing: 'otlp', endpoint: 'agentTracesUrl', description: 'OTLP to the node-local collector (DaemonSet)' },
};

export function exportPlan(topology: TopologyKind, endpoints: ExportEndpoints): { tracing: TracingMode; endpoint?: string } {
  const plan = TOPOLOGY_EXPORT[topology];
  return { tracing: plan.tracing, endpoint: plan.endpoint ? endpoints[plan.endpoint] : undefined };
}
