// Sizing from a capacity run's costs: known inputs, known answers.
import { describe, expect, it } from 'vitest';
import type { CapacityResults } from '../../infra/analysis/capacity-results.ts';
import { cpuCores, sizing } from '../../infra/analysis/sizing.ts';

const knee = { status: 'found' as const, breaches: [], nonMonotone: false };
const results = (gateway?: Partial<NonNullable<CapacityResults['gateway']>>): CapacityResults =>
  ({
    collector: { replicaCpu: '500m', batchSize: 512 },
    workload: { spansPerRequest: 6 },
    topologies: [
      { name: 'baseline', kind: 'baseline', baseline: 'baseline', steps: [], knee, spansPerRequest: 0, harnessLimited: false, appCpuMsPerRequest: 3 },
      // 1.2 ms of tracing per request at 6 spans: 0.2 ms per span.
      {
        name: 'inprocess',
        kind: 'inprocess',
        baseline: 'baseline',
        steps: [],
        knee,
        spansPerRequest: 6,
        harnessLimited: false,
        tracingCpuMsPerRequest: 1.2,
        tracingCpuMsPer1kSpans: 200,
      },
      {
        name: 'collector',
        kind: 'collector',
        baseline: 'baseline',
        steps: [],
        knee,
        spansPerRequest: 6,
        harnessLimited: false,
        tracingCpuMsPerRequest: 1.2,
        tracingCpuMsPer1kSpans: 200,
        collectorCpuMsPer1kSpans: 20,
      },
    ],
    ...(gateway ? { gateway } : {}),
  }) as unknown as CapacityResults;

describe('sizing', () => {
  it('app tracing CPU, collector cores and replicas, backend ingest for a target', () => {
    const s = sizing(results(), { rate: 1000, spansPerRequest: 12 });
    const [inprocess, collector] = s.rows;
    // 1000 req/s × 12 spans × 0.2 ms = 2.4 cores of tracing in the app.
    expect(inprocess.appTracingCores).toBeCloseTo(2.4, 9);
    expect(inprocess.collectorCores).toBeUndefined();
    expect(inprocess.gatewayReplicas).toBeUndefined();
    // 12,000 spans/s × 20 µs = 0.24 cores; at ≤ 50% of 0.5 CPU per replica: ceil(0.24 / 0.5 / 0.5) = 1.
    expect(collector.collectorCores).toBeCloseTo(0.24, 9);
    expect(collector).toMatchObject({ gatewayReplicas: 1, replicaCpu: 0.5, backendSpansPerSecond: 12000 });
    expect(collector.backendRequestsPerSecond).toBeCloseTo(12000 / 512, 9);
    expect(s.collectorCpuSource).toBe('lab');
  });

  it("the gateway's own ceiling wins over the lab's figures, and bounds the replicas", () => {
    const s = sizing(results({ collectorCpuMsPer1kSpans: 10, keptSpansPerSecond: 20000, harnessLimited: false } as never), { rate: 5000, spansPerRequest: 12 });
    const collector = s.rows[1];
    expect(s.collectorCpuSource).toBe('gateway-ceiling');
    expect(collector.collectorCores).toBeCloseTo(0.6, 9); // 60,000 spans/s × 10 µs
    // By CPU: ceil(0.6 / 0.5 / 0.5) = 3; by ceiling: ceil(60000 / (20000 × 0.5 × 0.5)) = 12.
    expect(collector.gatewayReplicas).toBe(12);
  });

  it('a harness-limited ceiling is no bound', () => {
    const s = sizing(results({ collectorCpuMsPer1kSpans: 10, keptSpansPerSecond: 20000, harnessLimited: true } as never), { rate: 5000, spansPerRequest: 12 });
    expect(s.rows[1].gatewayReplicas).toBe(3);
    expect(s.gatewaySpansPerCore).toBeUndefined();
  });

  it('CPU quantities', () => {
    expect(cpuCores('500m')).toBe(0.5);
    expect(cpuCores('2')).toBe(2);
  });
});
