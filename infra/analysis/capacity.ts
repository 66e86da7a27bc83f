// A capacity run analysed: per topology its steps judged against the SLO, the knee bracketed,
// and what tracing costs at rates it keeps — app CPU per request and per 1000 spans (minus its
// baseline's), the collector's CPU per 1000 spans — plus the gateway's own ceiling and the
// harness's headroom. Data only (capacity.json); the report words it. Reads only the raw
// capacity record and the samples files it names.
import { join } from 'node:path';
import type { CapacityRecord } from '../load/capacity-record.ts';
import type { SlotRecord } from '../load/record.ts';
import { readSamples } from '../load/samples.ts';
import { gatewayCeiling, judgeGatewayStep } from './gateway.ts';
import { judgeStep, kneeOf, sloLimits, type StepMeasurement } from './knee.ts';
import { quantileSorted, sortedCopy } from './percentiles.ts';
import type { CapacityResults, CapacityStep, CapacityTopology } from './capacity-results.ts';
import { SATURATED } from './gateway.ts';

export function stepMeasurementOf(slot: SlotRecord, runDir: string, rate: number): StepMeasurement {
  const samples = readSamples(join(runDir, slot.load.samplesFile));
  return {
    rate,
    sortedLatencyMs: sortedCopy(samples.okLatencyMs),
    requests: slot.load.requests,
    failed: slot.load.failed,
    droppedIterations: slot.load.droppedIterations,
    spansEnded: slot.app.spansEnded,
    spansDelivered: slot.backend.spans,
  };
}

export function capacityResults(record: CapacityRecord, runDir: string): CapacityResults {
  const slo = sloLimits(record.slo);
  const busiest = (slot: SlotRecord, cores: readonly string[]) => Math.max(0, ...cores.map((c) => slot.interference?.cores[c]?.busy ?? 0));
  const appCores = Object.keys(record.steps[0]?.slot.interference?.cores ?? {}).filter((c) => !record.supportCores.includes(c));

  const topologies = record.topologies.map((t): Omit<CapacityTopology, 'tracingCpuMsPerRequest' | 'tracingCpuMsPer1kSpans'> => {
    const steps = record.steps
      .filter((s) => s.topology === t.name)
      .map((s): CapacityStep => {
        const m = stepMeasurementOf(s.slot, runDir, s.rate);
        const v = judgeStep(m, slo);
        const app = s.slot.app;
        const c = s.slot.collector;
        return {
          ...v,
          step: s.step,
          p999Ms: quantileSorted(m.sortedLatencyMs, 0.999),
          requests: m.requests,
          appCpuMsPerRequest: app.requests > 0 ? (app.cpuSeconds * 1000) / app.requests : 0,
          spansPerRequest: app.requests > 0 ? app.spansEnded / app.requests : 0,
          ...(c?.cpuSeconds !== undefined && c.acceptedSpans > 0 ? { collectorCpuMsPer1kSpans: (c.cpuSeconds * 1e6) / c.acceptedSpans } : {}),
          appCoreBusy: busiest(s.slot, appCores),
          supportCoreBusy: busiest(s.slot, record.supportCores),
          foreign: s.slot.interference?.maxForeign ?? 0,
        };
      })
      .sort((a, b) => a.rate - b.rate);
    const knee = kneeOf(steps);
    // Costs at the rates the topology kept: below the knee the app is not queueing.
    const kept = record.steps.filter((s) => s.topology === t.name && steps.find((x) => x.step === s.step)?.ok);
    const sum = (f: (s: SlotRecord) => number) => kept.reduce((n, s) => n + f(s.slot), 0);
    const requests = sum((s) => s.app.requests);
    const accepted = sum((s) => s.collector?.acceptedSpans ?? 0);
    const collectorCpu = sum((s) => s.collector?.cpuSeconds ?? 0);
    const broke = steps.find((s) => s.rate === knee.brokeRps);
    return {
      name: t.name,
      kind: t.kind,
      baseline: t.baseline,
      steps,
      knee,
      appCpuMsPerRequest: requests > 0 ? (sum((s) => s.app.cpuSeconds) * 1000) / requests : undefined,
      spansPerRequest: requests > 0 ? sum((s) => s.app.spansEnded) / requests : 0,
      ...(accepted > 0 && collectorCpu > 0 ? { collectorCpuMsPer1kSpans: (collectorCpu * 1e6) / accepted } : {}),
      // The knee is the harness's, not the app's, when the support core was saturated where the SLO broke.
      harnessLimited: broke ? broke.supportCoreBusy > SATURATED && broke.appCoreBusy < SATURATED : false,
    };
  });
  const withTracing = topologies.map((t): CapacityTopology => {
    const base = topologies.find((b) => b.name === t.baseline);
    const own = t.appCpuMsPerRequest;
    const tracing = t.kind === 'baseline' || own === undefined || base?.appCpuMsPerRequest === undefined ? undefined : own - base.appCpuMsPerRequest;
    return {
      ...t,
      ...(tracing !== undefined ? { tracingCpuMsPerRequest: tracing } : {}),
      ...(tracing !== undefined && t.spansPerRequest > 0 ? { tracingCpuMsPer1kSpans: (tracing * 1000) / t.spansPerRequest } : {}),
    };
  });

  const g = record.gateway;
  const gateway = g
    ? (() => {
        const spansPerBatch = g.steps[0]?.spansPerBatch ?? record.doc.spec.capacity.gateway.spansPerBatch;
        const verdicts = g.steps.map((s) =>
          judgeGatewayStep(s, sortedCopy(readSamples(join(runDir, s.load.samplesFile)).okLatencyMs), {
            p99Ms: slo.p99Ms,
            collectorCores: g.collectorCores,
            supportCores: g.supportCores,
          }),
        );
        return {
          spansPerBatch,
          memoryLimitMiB: g.memoryLimitMiB,
          collectorCores: g.collectorCores,
          steps: verdicts,
          ...gatewayCeiling(verdicts, spansPerBatch, g.steps),
          interrupted: Boolean(g.interrupted),
        };
      })()
    : undefined;

  return {
    runId: record.runId,
    startedAt: record.startedAt,
    finishedAt: record.finishedAt,
    specName: record.doc.metadata.name,
    backend: record.backend,
    quick: record.quick,
    machine: record.machine,
    pinning: record.pinning,
    slo: record.slo,
    search: record.search,
    workload: record.doc.spec.app.workload,
    targetRate: record.doc.spec.load.rate,
    collector: {
      replicaCpu: record.doc.spec.collector.gateway.resources.limits.cpu,
      batchSize: record.doc.spec.collector.batch.sendBatchSize,
    },
    topologies: withTracing,
    ...(gateway ? { gateway } : {}),
    ...(record.harness ? { harness: record.harness } : {}),
    ...(record.interrupted ? { interrupted: record.interrupted } : {}),
    foreignMax: Math.max(0, ...record.steps.map((s) => s.slot.interference?.maxForeign ?? 0)),
  };
}
