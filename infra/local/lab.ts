// The local lab: every topology of the spec on loopback — ingest-sink as the backend, the
// collectors (gateway, agent, one sidecar per sidecar topology) for the whole run, and a
// fresh target app for each slot (slot.ts). The experiment (infra/experiment) decides which
// slots run in which order; this target runs them and re-runs a slot that other programs
// disturbed. It produces raw records only; analysis and report come later.
import { execFileSync } from 'node:child_process';
import { collectorSettingsFor } from '../../contracts/collector-config.ts';
import type { CollectorSpec, Topology, TraceLab } from '../../contracts/spec/schema.ts';
import { exportPlan } from '../../contracts/spec/topology.ts';
import { targetSettings, type TargetSettings } from '../../contracts/target-app.ts';
import type { BackendCounters, MachineInfo, SlotRecord } from '../load/record.ts';
import { type Progress, resolveTool } from '../tools/resolve.ts';
import { COLLECTOR, K6 } from '../tools/versions.ts';
import { machineInfo, pinningPlan } from './machine.ts';
import { hasTaskset, pinProcess } from './process.ts';
import { backendCounters } from './scrape.ts';
import { type CollectorService, type Service, startCollector, startSink } from './services.ts';
import { type SinkDatastores, startSinkDatastores } from './sink-datastores.ts';
import { runSlot, type SlotEnvironment } from './slot.ts';

export interface LocalLabOptions {
  readonly doc: TraceLab;
  readonly runDir: string;
  readonly progress: Progress;
  /** Aborting stops the slot in progress (k6 is killed); stop() still has to be called. */
  readonly signal: AbortSignal;
  /**
   * ingest-sink's mode: queue (default) does Langfuse's request path before answering — key
   * check in Redis, batch to S3 (MinIO), BullMQ job — on datastores the lab starts; count
   * answers right after decoding.
   */
  readonly sinkMode?: 'count' | 'queue';
}

interface PreparedTopology {
  readonly topology: Topology;
  readonly settings: TargetSettings;
  readonly collector?: CollectorService;
  readonly collectorSettings: CollectorSpec;
}

export class LocalLab {
  readonly machine: MachineInfo;
  readonly pinning: Record<string, string>;
  readonly tools: Record<string, { path: string; source: string; version: string }>;
  readonly sinkMode: 'count' | 'queue';
  private readonly options: LocalLabOptions;
  private readonly services: Service[];
  private readonly prepared: Map<string, PreparedTopology>;
  private readonly env: SlotEnvironment;
  private readonly datastores?: SinkDatastores;

  private constructor(
    options: LocalLabOptions,
    init: Pick<LocalLab, 'machine' | 'pinning' | 'tools' | 'sinkMode'> & {
      services: Service[];
      prepared: Map<string, PreparedTopology>;
      env: SlotEnvironment;
      datastores?: SinkDatastores;
    },
  ) {
    this.options = options;
    this.sinkMode = init.sinkMode;
    this.datastores = init.datastores;
    this.machine = init.machine;
    this.pinning = init.pinning;
    this.tools = init.tools;
    this.services = init.services;
    this.prepared = init.prepared;
    this.env = init.env;
  }

  static async start(options: LocalLabOptions): Promise<LocalLab> {
    const { doc, runDir, progress: say } = options;
    const { spec } = doc;
    say('Resolving tools (k6, OpenTelemetry Collector)...');
    const k6 = await resolveTool('k6', say);
    const otelcol = await resolveTool('otelcol', say);
    const tools = {
      k6: { ...k6, version: firstLine(k6.path, ['version']) ?? K6.version },
      otelcol: { ...otelcol, version: firstLine(otelcol.path, ['--version']) ?? COLLECTOR.version },
    };
    const machine = machineInfo();
    const pins = (await hasTaskset()) ? pinningPlan(machine.cpus) : {};
    // This process joins the support cores, so the measured core runs the app alone.
    const selfPinned = pins.support !== undefined && pinProcess(process.pid, pins.support);
    const pinning: Record<string, string> = pins.app
      ? {
          'app under test': `CPU ${pins.app}`,
          'k6, collectors, ingest-sink, tracelab': `CPU ${pins.support}${selfPinned ? '' : ' (tracelab itself unpinned)'}`,
        }
      : { all: `unpinned (${machine.cpus} CPU${machine.cpus === 1 ? '' : 's'}${process.platform === 'linux' ? '' : ', no taskset'})` };
    say(
      `Machine: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGiB} GiB; pinning: ${Object.entries(pinning)
        .map(([k, v]) => `${k} → ${v}`)
        .join('; ')}`,
    );

    const services: Service[] = [];
    const support = { logDir: `${runDir}/logs`, cpus: pins.support };
    const sinkMode = options.sinkMode ?? 'queue';
    let datastores: SinkDatastores | undefined;
    try {
      if (sinkMode === 'queue') {
        say("Starting the sink's datastores (Redis, MinIO): it answers only after Langfuse's key check, S3 write and queue job...");
        datastores = await startSinkDatastores(say, support);
      }
      say(`Starting ingest-sink (Langfuse stand-in, ${sinkMode} mode) and collectors...`);
      // Admin on a port of its own, so a fault run can refuse connections on the ingestion port.
      const sink = await startSink({ ...support, adminPort: true, queue: datastores?.sinkEnv });
      services.push(sink);
      // One collector process per role and settings: the shared gateway and agent, one per
      // sidecar topology, and a gateway or agent of its own for a topology with its own settings.
      const collectors = new Map<string, CollectorService>();
      const collectorFor = async (role: string, settings: CollectorSpec) => {
        let c = collectors.get(role);
        if (!c) {
          c = await startCollector(role, otelcol.path, settings, sink.url, { ...support, workDir: `${runDir}/config` });
          services.push(c);
          collectors.set(role, c);
        }
        return c;
      };
      const prepared = new Map<string, PreparedTopology>();
      for (const topology of spec.topologies) {
        const collectorSettings = collectorSettingsFor(spec.collector, topology);
        const role = collectorRole(topology);
        const collector = role ? await collectorFor(role, collectorSettings) : undefined;
        const plan = exportPlan(topology.topology, {
          langfuseBaseUrl: sink.url,
          gatewayTracesUrl: collector?.tracesUrl ?? '',
          sidecarTracesUrl: collector?.tracesUrl ?? '',
          agentTracesUrl: collector?.tracesUrl ?? '',
        });
        prepared.set(topology.name, {
          topology,
          settings: targetSettings(topology, spec.app.workload, plan.tracing, plan.endpoint, 0),
          collector,
          collectorSettings,
        });
      }
      const env: SlotEnvironment = {
        doc,
        runDir,
        k6: k6.path,
        sink,
        supportProcesses: () => [...services, ...(datastores?.services ?? [])],
        appCpus: pins.app,
        supportCpus: pins.support,
        progress: say,
        signal: options.signal,
      };
      return new LocalLab(options, { machine, pinning, tools, services, prepared, env, datastores, sinkMode });
    } catch (error) {
      for (const service of services.reverse()) await service.process.stop(10_000).catch(() => undefined);
      await datastores?.stop();
      throw error;
    }
  }

  /**
   * Runs one slot; re-runs it (up to load.interference.retries times) when other programs
   * took more than load.interference.maxForeignShare of a core meanwhile.
   */
  async runSlot(topologyName: string, round: number, position: number): Promise<SlotRecord> {
    const prepared = this.prepared.get(topologyName);
    if (!prepared) throw new Error(`no topology named ${topologyName} in this lab`);
    const { maxForeignShare, retries } = this.options.doc.spec.load.interference;
    const discarded: Array<{ maxForeign: number }> = [];
    for (let attempt = 1; ; attempt++) {
      const result = await runSlot(this.env, {
        settings: prepared.settings,
        kind: prepared.topology.topology,
        collector: prepared.collector,
        collectorSettings: prepared.collectorSettings,
        round,
        position,
        attempt,
      });
      const foreign = result.interference?.maxForeign ?? 0;
      if (foreign <= maxForeignShare || attempt > retries) {
        if (foreign > maxForeignShare)
          this.options.progress(`    other programs used ${Math.round(foreign * 100)}% of a core during ${result.label}; kept and flagged (no re-runs left)`);
        return { ...result, attempts: attempt, discarded };
      }
      this.options.progress(`    other programs used ${Math.round(foreign * 100)}% of a core during ${result.label}; re-running it (${attempt}/${retries})`);
      discarded.push({ maxForeign: foreign });
    }
  }

  /** What the backend holds for each slot now, late arrivals included. */
  async backendCounts(labels: readonly string[]): Promise<Map<string, BackendCounters>> {
    const out = new Map<string, BackendCounters>();
    for (const label of labels) out.set(label, await backendCounters(this.env.sink.adminUrl, label));
    return out;
  }

  /** Stops every process the lab started: collectors flush into the sink first. */
  async stop(): Promise<void> {
    for (const service of [...this.services].reverse()) await service.process.stop(10_000).catch(() => undefined);
    await this.datastores?.stop();
  }
}

/** The collector process a topology exports to, by role name; none for baseline and inprocess. */
function collectorRole(topology: Topology): string | undefined {
  const own = topology.collector ? `-${topology.name}` : '';
  if (topology.topology === 'collector') return `gateway${own}`;
  if (topology.topology === 'agent') return `agent${own}`;
  if (topology.topology === 'sidecar') return `sidecar-${topology.name}`;
  return undefined;
}

function firstLine(binary: string, args: string[]): string | undefined {
  try {
    return execFileSync(binary, args, { encoding: 'utf8', timeout: 10_000 }).split('\n')[0].trim();
  } catch {
    return undefined;
  }
}
