// The local lab: every topology of the spec as real processes on loopback, driven by real
// k6 in interleaved rounds (ABCDE ABCDE …), with counters collected around every slot.
// Produces the raw record; analysis and report are later stages.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { targetSettings } from '../../contracts/target-app.ts';
import { runK6Slot } from '../load/k6-run.ts';
import type { AppIdentity, CollectorCounters, RunRecord, SlotRecord } from '../load/record.ts';
import { durationMs } from '../../contracts/spec/fields.ts';
import type { Topology, TraceLab } from '../../contracts/spec/schema.ts';
import { exportPlan } from '../../contracts/spec/topology.ts';
import { resolvePythonVenv } from '../tools/python.ts';
import { resolveTool, type Progress } from '../tools/resolve.ts';
import { COLLECTOR, K6 } from '../tools/versions.ts';
import { cpuBusy, cpuTimes, machineInfo, pinningPlan } from './machine.ts';
import { appCounters, appDelta, backendCounters, collectorCounters, collectorDelta } from './scrape.ts';
import { startCollector, startSink, startTarget, type CollectorService, type Service } from './services.ts';

export interface LabOptions {
  readonly doc: TraceLab;
  /** Root of all runs, e.g. "results". */
  readonly resultsRoot: string;
  readonly runId: string;
  readonly quick?: boolean;
  readonly progress: Progress;
}

/** `--quick`: two short rounds, enough to see the shape in under two minutes. */
export function quickDoc(doc: TraceLab): TraceLab {
  return { ...doc, spec: { ...doc.spec, load: { ...doc.spec.load, rounds: 2, duration: '5s', warmup: '2s' } } };
}

interface RunningTopology {
  readonly topology: Topology;
  readonly app: Service;
  readonly collector?: CollectorService;
}

export async function runLocalLab(options: LabOptions): Promise<{ runDir: string; record: RunRecord }> {
  const doc = options.quick ? quickDoc(options.doc) : options.doc;
  const { spec } = doc;
  const say = options.progress;
  const runDir = join(options.resultsRoot, options.runId);
  const dirs = { samples: join(runDir, 'raw', 'samples'), k6: join(runDir, 'raw', 'k6'), logs: join(runDir, 'logs'), work: join(runDir, 'config') };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  const startedAt = new Date().toISOString();

  say('Resolving tools (k6, OpenTelemetry Collector)...');
  const k6 = await resolveTool('k6', say);
  const otelcol = await resolveTool('otelcol', say);
  // The Python target's venvs, one per SDK line in use (created from the hashed locks on first use).
  for (const line of new Set(spec.topologies.filter((t) => t.runtime === 'python').map((t) => t.sdkVersion))) await resolvePythonVenv(line, say);
  const tools = {
    k6: { ...k6, version: firstLine(k6.path, ['version']) ?? K6.version },
    otelcol: { ...otelcol, version: firstLine(otelcol.path, ['--version']) ?? COLLECTOR.version },
  };

  const machine = machineInfo();
  const pins = pinningPlan(machine.cpus);
  const pinning: Record<string, string> = pins.app
    ? { 'app under test': `CPU ${pins.app}`, 'k6, collectors, ingest-sink': `CPU ${pins.support}` }
    : { all: `unpinned (${machine.cpus} CPU${machine.cpus === 1 ? '' : 's'}${process.platform === 'linux' ? '' : ', no taskset'})` };
  say(
    `Machine: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGiB} GiB; pinning: ${Object.entries(pinning)
      .map(([k, v]) => `${k} → ${v}`)
      .join('; ')}`,
  );

  const started: Service[] = [];
  const support = { logDir: dirs.logs, cpus: pins.support };
  try {
    say('Starting ingest-sink (Langfuse stand-in) and collectors...');
    const sink = await startSink(support);
    started.push(sink);
    const kinds = new Set(spec.topologies.map((t) => t.topology));
    const shared = async (role: string) => {
      const c = await startCollector(role, otelcol.path, spec.collector, sink.url, { ...support, workDir: dirs.work });
      started.push(c);
      return c;
    };
    const gateway = kinds.has('collector') ? await shared('gateway') : undefined;
    const agent = kinds.has('agent') ? await shared('agent') : undefined;

    const running: RunningTopology[] = [];
    const apps: Record<string, AppIdentity> = {};
    for (const topology of spec.topologies) {
      const sidecar = topology.topology === 'sidecar' ? await shared(`sidecar-${topology.name}`) : undefined;
      const plan = exportPlan(topology.topology, {
        langfuseBaseUrl: sink.url,
        gatewayTracesUrl: gateway?.tracesUrl ?? '',
        sidecarTracesUrl: sidecar?.tracesUrl ?? '',
        agentTracesUrl: agent?.tracesUrl ?? '',
      });
      const app = await startTarget(targetSettings(topology, spec.app.workload, plan.tracing, plan.endpoint, 0), {
        logDir: dirs.logs,
        cpus: pins.app,
        app: { runtime: topology.runtime, sdkVersion: topology.sdkVersion },
      });
      started.push(app);
      apps[topology.name] = await appIdentity(app.url);
      running.push({ topology, app, collector: topology.topology === 'collector' ? gateway : topology.topology === 'agent' ? agent : sidecar });
    }
    say(`Started ${running.length} target apps: ${running.map((r) => r.topology.name).join(', ')}`);

    const slotSeconds = (durationMs(spec.load.warmup) + durationMs(spec.load.duration)) / 1000;
    say(
      `Load: ${spec.load.scenario === 'closed' ? `closed model, ${spec.load.vus} users (think time ${spec.load.thinkTime})` : `${spec.load.scenario} at ${spec.load.rate} req/s`}, ${spec.load.warmup} warm-up + ${spec.load.duration} measured per slot, ${spec.load.rounds} round(s) × ${running.length} topologies ≈ ${Math.ceil((slotSeconds * spec.load.rounds * running.length) / 60)} min`,
    );
    const slots: SlotRecord[] = [];
    for (let round = 1; round <= spec.load.rounds; round++) {
      for (const r of running) slots.push(await runSlot(r, round, sink, k6.path, doc, dirs, runDir, say));
    }
    const record: RunRecord = {
      runId: options.runId,
      startedAt,
      finishedAt: new Date().toISOString(),
      target: 'local',
      backend: 'ingest-sink',
      quick: Boolean(options.quick),
      doc,
      machine,
      pinning,
      tools,
      apps,
      slots,
    };
    writeFileSync(join(runDir, 'raw', 'record.json'), `${JSON.stringify(record, null, 2)}\n`);
    return { runDir, record };
  } finally {
    // Apps first (they flush into collectors), then collectors, then the sink.
    for (const service of started.reverse()) await service.process.stop(10_000).catch(() => undefined);
  }
}

async function runSlot(
  r: RunningTopology,
  round: number,
  sink: Service,
  k6: string,
  doc: TraceLab,
  dirs: Record<string, string>,
  runDir: string,
  say: Progress,
): Promise<SlotRecord> {
  const { topology, app, collector } = r;
  const load = doc.spec.load;
  const label = `${topology.name}-r${round}`;
  await post(`${sink.url}/admin/run`, { run: label });
  const appBefore = await appCounters(app.url);
  const collectorBefore = collector ? await collectorCounters(collector.process.spec.name, collector.metricsUrl) : undefined;
  const startedAt = new Date().toISOString();
  const cpuBefore = cpuTimes();
  // The event-loop window starts when the measured phase does.
  const resetTimer = setTimeout(() => void post(`${app.url}/metrics/reset`), durationMs(load.warmup));
  const samplesPath = join(dirs.samples, `${label}.csv`);
  const outcome = await runK6Slot({
    k6,
    load,
    targetUrl: app.url,
    topology: topology.name,
    round,
    rawCsv: join(dirs.k6, `${label}.raw.csv`),
    summaryJson: join(dirs.k6, `${label}.summary.json`),
    samplesPath,
    samplesFile: relative(runDir, samplesPath),
    logFile: join(dirs.logs, `k6-${label}.log`),
  }).finally(() => clearTimeout(resetTimer));
  const busy = cpuBusy(cpuBefore, cpuTimes());

  // Drain: flush the app, then wait until the backend has every span the app ended.
  await post(`${app.url}/admin/flush`);
  const appAfter = await appCounters(app.url);
  const delta = appDelta(appBefore, appAfter);
  const drainDeadline = Date.now() + 5000 + durationMs(doc.spec.collector.batch.timeout);
  let backend = await backendCounters(sink.url, label);
  while (backend.spans < delta.spansEnded && Date.now() < drainDeadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    backend = await backendCounters(sink.url, label);
  }
  let collectorStats: CollectorCounters | undefined;
  if (collector && collectorBefore)
    collectorStats = collectorDelta(collectorBefore, await collectorCounters(collector.process.spec.name, collector.metricsUrl));

  const p99 = outcome.k6Summary ? `p99 ${outcome.k6Summary.p99.toFixed(1)} ms` : 'p99 n/a';
  const lost = delta.spansEnded - backend.spans;
  const cores = Object.entries(busy)
    .map(([cpu, share]) => `${cpu} ${Math.round(share * 100)}%`)
    .join(' ');
  say(
    `  round ${round}/${load.rounds}  ${topology.name.padEnd(14)} ${String(outcome.requests).padStart(6)} req  ${p99.padEnd(16)} spans ${delta.spansEnded} → ${backend.spans}${lost > 0 ? `  (${lost} LOST)` : ''}${outcome.droppedIterations ? `  ${outcome.droppedIterations} dropped iterations` : ''}  busy: ${cores}`,
  );
  return { topology: topology.name, kind: topology.topology, round, startedAt, load: outcome, app: delta, collector: collectorStats, backend, cpuBusy: busy };
}

/** Runtime and SDK versions as the app reports them on /healthz. */
async function appIdentity(appUrl: string): Promise<AppIdentity> {
  const health = (await (await fetch(`${appUrl}/healthz`, { signal: AbortSignal.timeout(5000) })).json()) as Partial<AppIdentity>;
  return { runtime: health.runtime ?? 'unknown', sdk: health.sdk ?? 'unknown' };
}

async function post(url: string, body?: object): Promise<void> {
  const response = await fetch(url, { method: 'POST', body: body ? JSON.stringify(body) : undefined, signal: AbortSignal.timeout(30_000) });
  if (!response.ok) throw new Error(`POST ${url} answered ${response.status}`);
  await response.arrayBuffer();
}

function firstLine(binary: string, args: string[]): string | undefined {
  try {
    return execFileSync(binary, args, { encoding: 'utf8', timeout: 10_000 }).split('\n')[0].trim();
  } catch {
    return undefined;
  }
}
