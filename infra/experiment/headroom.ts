// What the harness — k6, the sink and a collector on the support core — can sustain on this
// machine, measured once and cached per machine and tool versions in
// ${TRACELAB_CACHE:-${XDG_CACHE_HOME:-~/.cache}/tracelab}/harness-<fingerprint>.json.
// Two unit costs are measured on the support core: k6's CPU per chat request (the slope
// between two rates against an app that does nothing, so k6's start-up cancels out) and the
// collector's + sink's CPU per span relayed. A lab run's load on that core is then
// rate × (k6 per request + spans per request × pipeline per span); above half of the core(s)
// the harness may shape what it measures, and the runs say so.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSpec } from '../../contracts/spec/read.ts';
import type { TraceLab } from '../../contracts/spec/schema.ts';
import { targetSettings } from '../../contracts/target-app.ts';
import { cacheRoot } from '../langfuse/source.ts';
import type { HarnessHeadroom } from '../load/capacity-record.ts';
import { runK6Slot } from '../load/k6-run.ts';
import { expandCpuList } from '../local/interference.ts';
import { machineInfo, pinningPlan } from '../local/machine.ts';
import { hasTaskset } from '../local/process.ts';
import { startTarget } from '../local/services.ts';
import { type Progress, resolveTool } from '../tools/resolve.ts';
import { COLLECTOR, K6 } from '../tools/versions.ts';
import { GatewayRig } from './gateway-rig.ts';

/** Two k6 rates against a no-op app, and one OTLP rate through the collector; each a few seconds. */
const K6_RATES = [100, 400] as const;
const PIPELINE = { rate: 20, spansPerBatch: 512 } as const;

export function harnessFingerprint(): string {
  const m = machineInfo();
  return createHash('sha256')
    .update(JSON.stringify([m.cpuModel, m.cpus, m.memoryGiB, m.node, K6.version, COLLECTOR.version]))
    .digest('hex')
    .slice(0, 16);
}

export const harnessCacheFile = (env: NodeJS.ProcessEnv = process.env) => join(cacheRoot(env), `harness-${harnessFingerprint()}.json`);

/** The cached measurement of this machine, if any. */
export function cachedHeadroom(env: NodeJS.ProcessEnv = process.env): HarnessHeadroom | undefined {
  const file = harnessCacheFile(env);
  if (!existsSync(file)) return undefined;
  try {
    const h = JSON.parse(readFileSync(file, 'utf8')) as HarnessHeadroom;
    return h.fingerprint === harnessFingerprint() && h.k6CpuMsPerRequest > 0 ? h : undefined;
  } catch {
    return undefined; // a torn or foreign file: measure again
  }
}

/** Requests/s the support core(s) sustain at this many spans per request (every span through a collector). */
export function sustainedRps(h: HarnessHeadroom, spansPerRequest: number): number {
  return (h.supportCores * 1000) / (h.k6CpuMsPerRequest + (spansPerRequest * h.pipelineCpuMsPer1kSpans) / 1000);
}

/** A warning when the offered rate is above half of what the harness sustains. */
export function headroomWarning(h: HarnessHeadroom | undefined, rate: number, spansPerRequest: number): string | undefined {
  if (!h) return undefined;
  const sustained = sustainedRps(h, spansPerRequest);
  if (rate <= sustained / 2) return undefined;
  return `offered ${rate} req/s is above half of what k6 + collector + sink sustain on the support core here (~${Math.round(sustained)} req/s at ${spansPerRequest} spans/request, measured ${h.measuredAt.slice(0, 10)}): the harness, not only the app, may shape these latencies`;
}

export async function harnessHeadroom(options: { progress: Progress; refresh?: boolean; signal?: AbortSignal }): Promise<HarnessHeadroom> {
  const cached = options.refresh ? undefined : cachedHeadroom();
  if (cached) return cached;
  const say = options.progress;
  say('Measuring the harness once for this machine (k6, collector and sink on the support core, ~30 s; cached)...');
  const k6 = (await resolveTool('k6', say)).path;
  const otelcol = (await resolveTool('otelcol', say)).path;
  const pins = (await hasTaskset()) ? pinningPlan(machineInfo().cpus) : {};
  const supportCores = pins.support ? expandCpuList(pins.support).length : machineInfo().cpus;
  const dir = mkdtempSync(join(tmpdir(), 'tracelab-harness-'));
  try {
    const k6CpuMsPerRequest = await k6Cost(dir, k6, pins, options.signal);
    const rig = await GatewayRig.start({
      runId: 'harness',
      runDir: dir,
      k6,
      otelcol,
      collector: defaultCollector(),
      collectorCpus: pins.support,
      supportCpus: pins.support,
      signal: options.signal,
    });
    let pipeline: { collector: number; sink: number };
    try {
      const step = await rig.step({
        label: 'harness',
        rate: PIPELINE.rate,
        spansPerBatch: PIPELINE.spansPerBatch,
        payloadBytes: 2048,
        load: shortLoad(PIPELINE.rate),
      });
      const per1k = (seconds: number) => (step.acceptedSpans > 0 ? (seconds * 1e6) / step.acceptedSpans : Number.NaN);
      pipeline = { collector: per1k(step.collectorCpuSeconds), sink: per1k(step.sinkCpuSeconds) };
    } finally {
      await rig.stop();
    }
    const headroom: HarnessHeadroom = {
      measuredAt: new Date().toISOString(),
      fingerprint: harnessFingerprint(),
      supportCores,
      k6CpuMsPerRequest,
      pipelineCpuMsPer1kSpans: pipeline.collector + pipeline.sink,
      collectorCpuMsPer1kSpans: pipeline.collector,
      sinkCpuMsPer1kSpans: pipeline.sink,
    };
    if (!Number.isFinite(headroom.pipelineCpuMsPer1kSpans) || !(k6CpuMsPerRequest > 0))
      throw new Error(`the harness measurement came out empty (${JSON.stringify(headroom)}); see ${dir}/logs`);
    mkdirSync(cacheRoot(), { recursive: true });
    writeFileSync(harnessCacheFile(), `${JSON.stringify(headroom, null, 2)}\n`);
    say(
      `  harness: k6 ${headroom.k6CpuMsPerRequest.toFixed(3)} ms CPU per request, collector + sink ${headroom.pipelineCpuMsPer1kSpans.toFixed(1)} ms per 1k spans (${harnessCacheFile()})`,
    );
    rmSync(dir, { recursive: true, force: true });
    return headroom;
  } catch (error) {
    throw new Error(`measuring the harness failed: ${(error as Error).message} (files kept in ${dir})`);
  }
}

/** k6's CPU per request: the slope between two rates against a baseline app doing no work. */
async function k6Cost(dir: string, k6: string, pins: { app?: string; support?: string }, signal?: AbortSignal): Promise<number> {
  const doc = defaultDoc();
  const baseline = doc.spec.topologies[0];
  const workload = { ...doc.spec.app.workload, llmLatency: '0ms', llmJitter: '0ms', cpuWork: '0ms' };
  const app = await startTarget(targetSettings(baseline, workload, 'none', undefined, 0), { cpus: pins.app, logDir: dir, logName: 'app-noop' });
  try {
    const cost: Array<[number, number]> = [];
    for (const rate of K6_RATES) {
      const before = reapedChildrenCpuSeconds();
      const load = shortLoad(rate);
      await runK6Slot({
        k6,
        load,
        targetUrl: app.url,
        topology: 'harness',
        round: rate,
        rawCsv: join(dir, `k6-${rate}.raw.csv`),
        summaryJson: join(dir, `k6-${rate}.summary.json`),
        samplesPath: join(dir, `k6-${rate}.csv`),
        samplesFile: `k6-${rate}.csv`,
        logFile: join(dir, `k6-${rate}.log`),
        cpus: pins.support,
        signal,
      });
      cost.push([rate * 6, reapedChildrenCpuSeconds() - before]); // 1 s warm-up + 5 s measured
    }
    const [[n1, c1], [n2, c2]] = cost;
    return ((c2 - c1) * 1000) / (n2 - n1);
  } finally {
    await app.process.stop(10_000);
  }
}

function shortLoad(rate: number) {
  const load = defaultDoc().spec.load;
  return { ...load, scenario: 'steady' as const, rate, warmup: '1s', duration: '5s', preAllocatedVUs: 20, maxVUs: 100 };
}

let defaults: TraceLab | undefined;
/** The schema's defaults: what a spec with nothing in it runs (the harness is measured at those). */
function defaultDoc(): TraceLab {
  defaults ??= parseSpec('apiVersion: tracelab.dev/v1alpha1\nkind: TraceLab\nmetadata: { name: harness }\n', 'harness');
  return defaults;
}
const defaultCollector = () => defaultDoc().spec.collector;

/** CPU seconds of this process's children it has waited for (k6, after each run). */
function reapedChildrenCpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100;
}
