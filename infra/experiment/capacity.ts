// `tracelab capacity`: per topology, the arrival rate is raised step by step until the SLO
// breaks (load.slo), then the knee is bracketed by bisection (knee-search.ts). Every step is
// a lab slot — a fresh app, warm-up, measured phase, flush and drain — at its own rate; the
// topologies take their steps in turns, in a new seeded order each turn, so drift falls on
// all of them alike. Then the gateway is driven directly with OTLP (gateway-ceiling.ts).
// Ctrl-C stops the step in progress and every process, and keeps what was measured.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { durationMs } from '../../contracts/duration.ts';
import type { LoadSpec, TraceLab } from '../../contracts/spec/schema.ts';
import { baselineOf } from '../analysis/baseline.ts';
import { stepMeasurementOf } from '../analysis/capacity.ts';
import { judgeStep, sloLimits, type StepVerdict } from '../analysis/knee.ts';
import type { CapacityRecord, CapacityStepRecord, GatewayCeilingRecord, HarnessHeadroom } from '../load/capacity-record.ts';
import type { BackendChoice } from '../local/backend.ts';
import { expandCpuList } from '../local/interference.ts';
import { LocalLab } from '../local/lab.ts';
import { machineInfo, pinningPlan } from '../local/machine.ts';
import { hasTaskset } from '../local/process.ts';
import type { Progress } from '../tools/resolve.ts';
import { runGatewayCeiling } from './gateway-ceiling.ts';
import { headroomWarning } from './headroom.ts';
import { nextRate } from './knee-search.ts';
import { roundOrder } from './order.ts';

export interface CapacityOptions {
  readonly doc: TraceLab;
  readonly resultsRoot: string;
  readonly runId: string;
  readonly progress: Progress;
  readonly backend?: BackendChoice;
  /** Measure the gateway's own ceiling too (default: spec.capacity.gateway.enabled). */
  readonly gateway?: boolean;
  readonly harness?: HarnessHeadroom;
  readonly quick?: boolean;
}

/** --quick: short steps and a coarse bracket, to try the command. */
export function quickCapacity(doc: TraceLab): TraceLab {
  const capacity = {
    ...doc.spec.capacity,
    stepDuration: '4s',
    stepWarmup: '1s',
    resolution: Math.max(doc.spec.capacity.resolution, 0.25),
    maxSteps: Math.min(doc.spec.capacity.maxSteps, 7),
  };
  return { ...doc, spec: { ...doc.spec, capacity, load: { ...doc.spec.load, precision: undefined } } };
}

export async function runCapacity(options: CapacityOptions): Promise<{ runDir: string; record: CapacityRecord }> {
  const doc = options.quick ? quickCapacity(options.doc) : options.doc;
  const { capacity, load } = doc.spec;
  const say = options.progress;
  const runDir = join(options.resultsRoot, options.runId);
  for (const dir of ['raw', 'config', 'logs']) mkdirSync(join(runDir, dir), { recursive: true });
  const startedAt = new Date().toISOString();
  const controller = new AbortController();
  let interruptedBy: string | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interruptedBy) return;
    interruptedBy = signal;
    say(`${signal}: stopping the step in progress and every process this run started; what was measured is kept...`);
    controller.abort(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const slo = sloLimits(load.slo);
  const steps: CapacityStepRecord[] = [];
  let lab: LocalLab | undefined;
  let gateway: GatewayCeilingRecord | undefined;
  const pins = (await hasTaskset()) ? pinningPlan(machineInfo().cpus) : {};
  try {
    lab = await LocalLab.start({ doc, runId: options.runId, runDir, progress: say, signal: controller.signal, backend: options.backend });
    const search = {
      startRate: capacity.startRate,
      maxRate: capacity.maxRate,
      growth: capacity.growth,
      resolution: capacity.resolution,
      maxSteps: capacity.maxSteps,
    };
    const stepSeconds = (durationMs(capacity.stepWarmup) + durationMs(capacity.stepDuration)) / 1000 + 4;
    say(
      `Capacity: SLO p99 ≤ ${load.slo.p99}, errors ≤ ${load.slo.maxErrorRatio * 100}%, dropped iterations ≤ ${load.slo.maxDroppedIterations}, spans lost ≤ ${load.slo.maxSpanLossRatio * 100}%; from ${capacity.startRate} req/s ×${capacity.growth} until it breaks, then bisection to ${capacity.resolution * 100}%; steps of ${capacity.stepWarmup} + ${capacity.stepDuration}, at most ${capacity.maxSteps} per topology (≈ ${Math.ceil((stepSeconds * capacity.maxSteps * doc.spec.topologies.length) / 60)} min at most)`,
    );
    const history = new Map<string, StepVerdict[]>(doc.spec.topologies.map((t) => [t.name, []]));
    const warned = new Set<string>();
    for (let turn = 1; !controller.signal.aborted; turn++) {
      const active = doc.spec.topologies.filter((t) => nextRate(history.get(t.name)!, search) !== undefined).map((t) => t.name);
      if (active.length === 0) break;
      for (const [i, name] of roundOrder(active, options.runId, turn).entries()) {
        if (controller.signal.aborted) break;
        const rate = nextRate(history.get(name)!, search)!;
        const spans = doc.spec.app.workload.spansPerRequest;
        const warning = headroomWarning(options.harness, rate, spans);
        if (warning && !warned.has('harness')) {
          warned.add('harness');
          say(`  note: ${warning}`);
        }
        const slot = await lab.runSlot(name, turn, i + 1, stepLoad(doc, rate));
        const verdict = judgeStep(stepMeasurementOf(slot, runDir, rate), slo);
        history.get(name)!.push(verdict);
        steps.push({ topology: name, step: history.get(name)!.length, rate, slot });
        say(
          `  ${name} step ${history.get(name)!.length}: ${rate} req/s → ${verdict.ok ? 'kept the SLO' : `broke it (${verdict.breaches.join(', ')})`}; p99 ${verdict.p99Ms.toFixed(1)} ms, errors ${(verdict.errorRatio * 100).toFixed(1)}%, dropped ${verdict.droppedIterations}, spans lost ${(verdict.lossRatio * 100).toFixed(1)}%`,
        );
      }
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  } finally {
    if (lab) await lab.stop();
  }
  if (!lab) {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    throw new Error(`interrupted by ${interruptedBy} before the lab had started; nothing was measured`);
  }
  try {
    if ((options.gateway ?? capacity.gateway.enabled) && !controller.signal.aborted) {
      gateway = await runGatewayCeiling({
        doc,
        runId: options.runId,
        runDir,
        k6: lab.tools.k6.path,
        otelcol: lab.tools.otelcol.path,
        pins,
        progress: say,
        signal: controller.signal,
      });
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const record: CapacityRecord = {
    runId: options.runId,
    startedAt,
    finishedAt: new Date().toISOString(),
    backend: lab.backend.info.kind,
    backendInfo: { url: lab.backend.info.url, version: lab.backend.info.version, note: lab.backend.info.note },
    machine: lab.machine,
    pinning: lab.pinning,
    tools: lab.tools,
    seed: options.runId,
    doc,
    slo: load.slo,
    search: capacity,
    quick: Boolean(options.quick),
    supportCores: pins.support ? expandCpuList(pins.support).map((c) => `cpu${c}`) : [],
    topologies: doc.spec.topologies.map((t) => ({ name: t.name, kind: t.topology, baseline: baselineOf({ doc }, t) })),
    steps,
    ...(gateway ? { gateway } : {}),
    ...(options.harness ? { harness: options.harness } : {}),
    ...(interruptedBy ? { interrupted: { signal: interruptedBy } } : {}),
  };
  writeFileSync(join(runDir, 'raw', 'capacity.json'), `${JSON.stringify(record, null, 2)}\n`);
  return { runDir, record };
}

/** One capacity step's load: the spec's, at this rate, for the step's durations, with users enough. */
export function stepLoad(doc: TraceLab, rate: number): LoadSpec {
  const { capacity, load, app } = doc.spec;
  const w = app.workload;
  // Requests in flight at this rate while the app keeps up, four times over: k6 must not run short of users (dropped iterations) before the app does.
  const seconds = (durationMs(w.llmLatency) + durationMs(w.llmJitter) + durationMs(w.cpuWork) + 20) / 1000;
  const preAllocatedVUs = Math.min(600, Math.max(20, Math.ceil(rate * seconds * 4)));
  return {
    ...load,
    scenario: 'steady',
    rate,
    duration: capacity.stepDuration,
    warmup: capacity.stepWarmup,
    rounds: 1,
    precision: undefined,
    preAllocatedVUs,
    maxVUs: Math.min(1000, Math.max(load.maxVUs, preAllocatedVUs * 2)),
  };
}
