// Sizing from a capacity run: for a target rate and spans per request, what tracing costs the
// app in CPU, how many gateway replicas (× their CPU) carry the spans with headroom, and what
// the backend must ingest. Costs are the run's, scaled linearly with spans per request (the
// run measured them at its own workload's span count; the table says so).
import type { CapacityResults } from './capacity-results.ts';

export interface SizingTarget {
  /** Requests per second the service must take. */
  readonly rate: number;
  readonly spansPerRequest: number;
  /** Share of a core a collector may use at the target rate (0.5: half, room for bursts). */
  readonly utilisation?: number;
}

export interface SizingRow {
  readonly topology: string;
  readonly kind: string;
  /** Cores the app spends on tracing at the target rate (its CPU minus its baseline's). */
  readonly appTracingCores?: number;
  /** Cores the collectors of this topology spend (gateway, sidecars or agents together). */
  readonly collectorCores?: number;
  /** Gateway only: replicas of the spec's CPU limit carrying the collector cores, at least 1. */
  readonly gatewayReplicas?: number;
  readonly replicaCpu?: number;
  readonly backendSpansPerSecond: number;
  /** Export requests per second at the gateway's batch size. */
  readonly backendRequestsPerSecond: number;
}

export interface Sizing {
  readonly target: Required<SizingTarget>;
  readonly rows: SizingRow[];
  /** Collector CPU per 1000 spans used for the gateway: its own ceiling run if there was one. */
  readonly collectorCpuMsPer1kSpans?: number;
  readonly collectorCpuSource: 'gateway-ceiling' | 'lab' | 'none';
  /** Spans/s one gateway kept on one core (its measured ceiling), if measured and not harness-limited. */
  readonly gatewaySpansPerCore?: number;
  readonly measuredSpansPerRequest: number;
}

/** "1" → 1, "500m" → 0.5 */
export function cpuCores(quantity: string): number {
  return quantity.endsWith('m') ? Number(quantity.slice(0, -1)) / 1000 : Number(quantity);
}

export function sizing(r: CapacityResults, target: SizingTarget): Sizing {
  const t = { utilisation: 0.5, ...target };
  const spansPerSecond = t.rate * t.spansPerRequest;
  const replicaCpu = cpuCores(r.collector.replicaCpu);
  const fromCeiling = r.gateway?.collectorCpuMsPer1kSpans;
  const labCollector = r.topologies.find((x) => x.kind === 'collector')?.collectorCpuMsPer1kSpans;
  const perSpanMs = (fromCeiling ?? labCollector ?? Number.NaN) / 1000;
  const ceiling = r.gateway && !r.gateway.harnessLimited ? r.gateway.keptSpansPerSecond : undefined;
  const measuredSpans = r.topologies.find((x) => x.kind !== 'baseline')?.spansPerRequest ?? r.workload.spansPerRequest;
  const rows = r.topologies
    .filter((x) => x.kind !== 'baseline')
    .map((x): SizingRow => {
      const perSpan = x.tracingCpuMsPer1kSpans === undefined ? undefined : x.tracingCpuMsPer1kSpans / 1000;
      const appTracingCores = perSpan === undefined ? undefined : Math.max(0, (t.rate * t.spansPerRequest * perSpan) / 1000);
      const ownCollector = x.kind === 'collector' ? perSpanMs : x.collectorCpuMsPer1kSpans !== undefined ? x.collectorCpuMsPer1kSpans / 1000 : undefined;
      const collectorCores =
        x.kind === 'inprocess' || ownCollector === undefined || !Number.isFinite(ownCollector) ? undefined : (spansPerSecond * ownCollector) / 1000;
      const byCpu = collectorCores === undefined ? undefined : Math.ceil(collectorCores / t.utilisation / replicaCpu);
      const byCeiling = ceiling ? Math.ceil(spansPerSecond / (ceiling * t.utilisation * replicaCpu)) : undefined;
      const gatewayReplicas = x.kind === 'collector' && (byCpu !== undefined || byCeiling !== undefined) ? Math.max(1, byCpu ?? 0, byCeiling ?? 0) : undefined;
      return {
        topology: x.name,
        kind: x.kind,
        ...(appTracingCores !== undefined ? { appTracingCores } : {}),
        ...(collectorCores !== undefined ? { collectorCores } : {}),
        ...(gatewayReplicas !== undefined ? { gatewayReplicas, replicaCpu } : {}),
        backendSpansPerSecond: spansPerSecond,
        backendRequestsPerSecond: spansPerSecond / r.collector.batchSize,
      };
    });
  return {
    target: t,
    rows,
    ...(Number.isFinite(perSpanMs) ? { collectorCpuMsPer1kSpans: perSpanMs * 1000 } : {}),
    collectorCpuSource: fromCeiling !== undefined ? 'gateway-ceiling' : labCollector !== undefined ? 'lab' : 'none',
    ...(ceiling ? { gatewaySpansPerCore: ceiling } : {}),
    measuredSpansPerRequest: measuredSpans,
  };
}
