// The local lab: every topology of the spec on loopback — the backend (ingest-sink, or a real
// Langfuse: backend.ts), the collectors (gateway, agent, one sidecar per sidecar topology,
// one of its own for a topology with its own collector settings) for the whole run, and a
// fresh target app for each slot (slot.ts). The experiment (infra/experiment) decides which
// slots run in which order; this target runs them and re-runs a slot that other programs
// disturbed. It produces raw records only; analysis and report come later.
import { execFileSync } from 'node:child_process';
import { collectorSettingsFor } from '../../contracts/collector-config.ts';
import type { CollectorSpec, LoadSpec, Topology, TraceLab } from '../../contracts/spec/schema.ts';
import { exportPlan } from '../../contracts/spec/topology.ts';
import { targetSettings, type TargetSettings } from '../../contracts/target-app.ts';
import type { BackendCounters, MachineInfo, SlotRecord } from '../load/record.ts';
import { resolvePythonVenv } from '../tools/python.ts';
import { type Progress, resolveTool } from '../tools/resolve.ts';
import { COLLECTOR, K6 } from '../tools/versions.ts';
import { machineInfo, pinningPlan } from './machine.ts';
import { hasTaskset, pinProcess } from './process.ts';
import { BASIC_AUTH_ENV } from '../../contracts/collector-config.ts';
import { type BackendChoice, describeBackend, type LabBackend, startBackend } from './backend.ts';
import { basicAuth, type CollectorService, type Service, startCollector, type TargetApp } from './services.ts';
import { runSlot, type SlotEnvironment, type SlotOverrides, slotName } from './slot.ts';

export interface LocalLabOptions {
  readonly doc: TraceLab;
  readonly runId: string;
  readonly runDir: string;
  /** Default: ingest-sink, started for the run. */
  readonly backend?: BackendChoice;
  readonly progress: Progress;
  /** Aborting stops the slot in progress (k6 is killed); stop() still has to be called. */
  readonly signal: AbortSignal;
  /** Per topology name: the workload and load its slots run with instead of the spec's (sweep variants). */
  readonly overrides?: ReadonlyMap<string, SlotOverrides>;
}

interface PreparedTopology {
  readonly topology: Topology;
  readonly settings: TargetSettings;
  /** Which app serves it: runtime and, for python, the SDK line's venv. */
  readonly app: TargetApp;
  readonly collector?: CollectorService;
  readonly collectorSettings: CollectorSpec;
}

export class LocalLab {
  readonly machine: MachineInfo;
  readonly pinning: Record<string, string>;
  readonly tools: Record<string, { path: string; source: string; version: string }>;
  readonly backend: LabBackend;
  private readonly options: LocalLabOptions;
  private readonly services: Service[];
  private readonly prepared: Map<string, PreparedTopology>;
  private readonly env: SlotEnvironment;

  private constructor(
    options: LocalLabOptions,
    init: Pick<LocalLab, 'machine' | 'pinning' | 'tools' | 'backend'> & { services: Service[]; prepared: Map<string, PreparedTopology>; env: SlotEnvironment },
  ) {
    this.options = options;
    this.backend = init.backend;
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
    // The Python target's venvs, one per SDK line in use (created from the hashed locks on first use).
    for (const line of new Set(spec.topologies.filter((t) => t.runtime === 'python').map((t) => t.sdkVersion))) await resolvePythonVenv(line, say);
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
    // A Langfuse backend is checked here (reachable, keys accepted), before any app or load.
    const backend = await startBackend(options.backend ?? { kind: 'ingest-sink' }, { ...support, progress: say });
    try {
      if (spec.faults.some((f) => f.kind.startsWith('backend-')) && !backend.sink) {
        throw new Error('backend faults (backend-outage, backend-slow, backend-errors) are injected by ingest-sink; run them with the stand-in backend');
      }
      say(`Backend: ${describeBackend(backend.info, backend.keys)}; starting collectors...`);
      // One collector process per role and settings: the shared gateway and agent, one per
      // sidecar topology, and a gateway or agent of its own for a topology with its own settings.
      const collectors = new Map<string, CollectorService>();
      const collectorFor = async (role: string, settings: CollectorSpec) => {
        let c = collectors.get(role);
        if (!c) {
          c = await startCollector(role, otelcol.path, settings, backend.baseUrl, {
            ...support,
            workDir: `${runDir}/config`,
            env: { [BASIC_AUTH_ENV]: basicAuth(backend.keys) },
          });
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
          langfuseBaseUrl: backend.baseUrl,
          gatewayTracesUrl: collector?.tracesUrl ?? '',
          sidecarTracesUrl: collector?.tracesUrl ?? '',
          agentTracesUrl: collector?.tracesUrl ?? '',
        });
        prepared.set(topology.name, {
          topology,
          settings: targetSettings(topology, options.overrides?.get(topology.name)?.workload ?? spec.app.workload, plan.tracing, plan.endpoint, 0),
          app: { runtime: topology.runtime, sdkVersion: topology.sdkVersion },
          collector,
          collectorSettings,
        });
      }
      const env: SlotEnvironment = {
        doc,
        runId: options.runId,
        runDir,
        k6: k6.path,
        backend,
        appEnv: { LANGFUSE_PUBLIC_KEY: backend.keys.publicKey, LANGFUSE_SECRET_KEY: backend.keys.secretKey },
        supportPids: () => [...services.flatMap((s) => (s.process.pid ? [s.process.pid] : [])), ...backend.processIds()],
        appCpus: pins.app,
        supportCpus: pins.support,
        progress: say,
        signal: options.signal,
      };
      return new LocalLab(options, { machine, pinning, tools, backend, services, prepared, env });
    } catch (error) {
      for (const service of services.reverse()) await service.process.stop(10_000).catch(() => undefined);
      await backend.stop().catch(() => undefined);
      throw error;
    }
  }

  /**
   * Runs one slot; re-runs it (up to load.interference.retries times) when other programs
   * took more than load.interference.maxForeignShare of a core meanwhile. `load` replaces the
   * spec's (and the topology's override) for this slot: a capacity step's arrival rate.
   */
  async runSlot(topologyName: string, round: number, position: number, load?: LoadSpec): Promise<SlotRecord> {
    const prepared = this.prepared.get(topologyName);
    if (!prepared) throw new Error(`no topology named ${topologyName} in this lab`);
    const { maxForeignShare, retries } = this.options.doc.spec.load.interference;
    const discarded: Array<{ maxForeign: number }> = [];
    for (let attempt = 1; ; attempt++) {
      const result = await runSlot(this.env, {
        settings: prepared.settings,
        app: prepared.app,
        kind: prepared.topology.topology,
        collector: prepared.collector,
        collectorSettings: prepared.collectorSettings,
        load: load ?? this.options.overrides?.get(topologyName)?.load,
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
    // One count each, without waiting: the slot's expected spans are unknown here.
    for (const label of labels) out.set(label, await this.backend.drain(slotName(this.options.runId, label), Number.MAX_SAFE_INTEGER, 0));
    return out;
  }

  /** Stops every process the lab started: collectors flush into the backend first. */
  async stop(): Promise<void> {
    for (const service of [...this.services].reverse()) await service.process.stop(10_000).catch(() => undefined);
    await this.backend.stop().catch(() => undefined);
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
