// A collector gateway driven directly with OTLP: ingest-sink behind it, k6 in front posting
// pre-encoded protobuf batches at a constant rate (k6/scenarios/otlp.ts). One step reads the
// collector's own counters (accepted, refused, queue, sent), its CPU and memory from /proc,
// each core's busy time, k6's answers and what reached the sink. The gateway's ceiling and
// the harness's headroom both drive it; they differ in where the collector is pinned.
//
// Why k6 and not telemetrygen: k6 is already built and pinned for the lab; its open-model
// arrival rate cannot slow down with the collector, its dropped iterations say when the
// generator itself is the limit, every answer's status shows a refusal (429/503) directly,
// and the batches are Langfuse-shaped (the spec's payload captured) rather than synthetic.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BASIC_AUTH_ENV, collectorConfig } from '../../contracts/collector-config.ts';
import { K6_DIR } from '../../contracts/k6-bundle.ts';
import { K6_OTLP_ENV } from '../../contracts/k6-env.ts';
import type { CollectorSpec, LoadSpec } from '../../contracts/spec/schema.ts';
import { stringify } from 'yaml';
import { runK6Slot } from '../load/k6-run.ts';
import { otlpBatch } from '../load/otlp-body.ts';
import type { GatewayStepRecord } from '../load/capacity-record.ts';
import { type LabBackend, startBackend } from '../local/backend.ts';
import { processCpuSeconds, readCoreTimes } from '../local/interference.ts';
import { freePort, ManagedProcess } from '../local/process.ts';
import { sumOf } from '../local/prometheus-text.ts';
import { collectorCountersFrom, scrapeMetrics } from '../local/scrape.ts';
import { basicAuth } from '../local/services.ts';
import { slotName } from '../local/slot.ts';

export interface RigOptions {
  readonly runId: string;
  readonly runDir: string;
  readonly k6: string;
  readonly otelcol: string;
  readonly collector: CollectorSpec;
  /** taskset lists: the collector under test, and k6 + the sink. */
  readonly collectorCpus?: string;
  readonly supportCpus?: string;
  readonly signal?: AbortSignal;
}

export interface RigStep {
  readonly label: string;
  readonly rate: number;
  readonly load: LoadSpec;
  readonly spansPerBatch: number;
  readonly payloadBytes: number;
}

export class GatewayRig {
  private readonly options: RigOptions;
  private readonly backend: LabBackend;
  private readonly collector: ManagedProcess;
  private readonly urls: { traces: string; metrics: string };

  private constructor(options: RigOptions, backend: LabBackend, collector: ManagedProcess, urls: { traces: string; metrics: string }) {
    this.options = options;
    this.backend = backend;
    this.collector = collector;
    this.urls = urls;
  }

  static async start(options: RigOptions): Promise<GatewayRig> {
    const logDir = join(options.runDir, 'logs');
    for (const dir of ['logs', 'config', 'raw/otlp', 'raw/samples', 'raw/k6']) mkdirSync(join(options.runDir, dir), { recursive: true });
    const backend = await startBackend({ kind: 'ingest-sink' }, { logDir, cpus: options.supportCpus });
    try {
      const [otlpHttp, metrics, health] = [await freePort(), await freePort(), await freePort()];
      const config = collectorConfig({
        settings: { ...options.collector, persistentQueue: { ...options.collector.persistentQueue, enabled: false } },
        langfuseOtelEndpoint: `${backend.baseUrl}/api/public/otel`,
        bindHost: '127.0.0.1',
        ports: { otlpHttp, metrics, health },
      });
      // The memory limiter as in the gateway's container: a share of its memory limit, not of this machine's RAM.
      const limitMiB = memoryMiB(options.collector.gateway.resources.limits.memory);
      const { checkInterval, limitPercentage, spikeLimitPercentage } = options.collector.memoryLimiter;
      config.processors.memory_limiter = {
        check_interval: checkInterval,
        limit_mib: Math.floor((limitMiB * limitPercentage) / 100),
        spike_limit_mib: Math.floor((limitMiB * spikeLimitPercentage) / 100),
      };
      const file = join(options.runDir, 'config', 'otelcol-gateway-under-test.yaml');
      writeFileSync(file, stringify(config, { lineWidth: 0 }));
      const collector = await ManagedProcess.start({
        name: 'otelcol-gateway-under-test',
        command: options.otelcol,
        args: [`--config=${file}`],
        env: { [BASIC_AUTH_ENV]: basicAuth(backend.keys) },
        readyUrl: `http://127.0.0.1:${health}/`,
        logFile: join(logDir, 'otelcol-gateway-under-test.log'),
        cpus: options.collectorCpus,
      });
      return new GatewayRig(options, backend, collector, { traces: `http://127.0.0.1:${otlpHttp}/v1/traces`, metrics: `http://127.0.0.1:${metrics}/metrics` });
    } catch (error) {
      await backend.stop().catch(() => undefined);
      throw error;
    }
  }

  /** The sink's and the collector's processes, for CPU readings. */
  get pids(): { collector?: number; backend: number[] } {
    return { collector: this.collector.pid, backend: this.backend.processIds() };
  }

  async step(s: RigStep): Promise<GatewayStepRecord> {
    const { runDir, runId } = this.options;
    const slot = slotName(runId, s.label);
    const bodyFile = join(runDir, 'raw', 'otlp', `${s.label}.pb`);
    writeFileSync(bodyFile, otlpBatch({ spans: s.spansPerBatch, payloadBytes: s.payloadBytes, slot }));
    await this.backend.beginSlot(slot);
    const before = await this.read();
    const cores = readCoreTimes();
    const samplesPath = join(runDir, 'raw', 'samples', `${s.label}.csv`);
    const outcome = await runK6Slot({
      k6: this.options.k6,
      load: s.load,
      targetUrl: this.urls.traces,
      topology: 'gateway',
      round: 0,
      rawCsv: join(runDir, 'raw', 'k6', `${s.label}.raw.csv`),
      summaryJson: join(runDir, 'raw', 'k6', `${s.label}.summary.json`),
      samplesPath,
      samplesFile: join('raw', 'samples', `${s.label}.csv`),
      logFile: join(runDir, 'logs', `k6-${s.label}.log`),
      cpus: this.options.supportCpus,
      signal: this.options.signal,
      script: join(K6_DIR, 'scenarios', 'otlp.ts'),
      env: { [K6_OTLP_ENV.bodyFile]: bodyFile },
    });
    const atEnd = await this.read();
    const busy = coreBusy(cores, readCoreTimes());
    const accepted = atEnd.accepted - before.accepted;
    // k6 posts one pre-encoded batch again and again: every arrival counts, not unique span ids.
    const delivered = await this.backend.drain(slot, accepted, this.options.signal?.aborted ? 0 : 10_000, { arrivals: true });
    const after = await this.read();
    return {
      label: s.label,
      rate: s.rate,
      spansPerBatch: s.spansPerBatch,
      bodyBytes: s.payloadBytes,
      load: outcome,
      acceptedSpans: accepted,
      refusedSpans: after.refused - before.refused,
      sendFailedSpans: after.sendFailed - before.sendFailed,
      enqueueFailedSpans: after.enqueueFailed - before.enqueueFailed,
      queueSizeAtEnd: atEnd.queueSize,
      queueCapacity: atEnd.queueCapacity,
      deliveredSpans: delivered.spans + (delivered.duplicates ?? 0),
      collectorCpuSeconds: atEnd.cpu - before.cpu,
      collectorRssMiB: atEnd.rssBytes / 2 ** 20,
      sinkCpuSeconds: atEnd.sinkCpu - before.sinkCpu,
      coreBusy: busy,
    };
  }

  private async read() {
    // One scrape for the counters and the gateway's own gauges.
    const samples = await scrapeMetrics(this.urls.metrics);
    const c = collectorCountersFrom('gateway-under-test', samples);
    return {
      accepted: c.acceptedSpans,
      sendFailed: c.sendFailedSpans,
      enqueueFailed: c.enqueueFailedSpans,
      queueSize: c.queueSize,
      queueCapacity: sumOf(samples, 'otelcol_exporter_queue_capacity'),
      refused: sumOf(samples, 'otelcol_receiver_refused_spans'),
      rssBytes: sumOf(samples, 'otelcol_process_memory_rss'),
      cpu: (this.collector.pid ? processCpuSeconds(this.collector.pid) : undefined) ?? 0,
      sinkCpu: this.backend.processIds().reduce((sum, pid) => sum + (processCpuSeconds(pid) ?? 0), 0),
    };
  }

  async stop(): Promise<void> {
    await this.collector.stop(10_000).catch(() => undefined);
    await this.backend.stop().catch(() => undefined);
  }
}

/** Share of wall time each core ran tasks between two readings. */
function coreBusy(before: ReturnType<typeof readCoreTimes>, after: ReturnType<typeof readCoreTimes>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [cpu, a] of after) {
    const b = before.get(cpu);
    if (b && a.total > b.total) out[cpu] = (a.tasks - b.tasks) / (a.total - b.total);
  }
  return out;
}

/** "512Mi" → 512; "1Gi" → 1024; "500M" → 476. */
export function memoryMiB(quantity: string): number {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(quantity);
  if (!m) throw new Error(`not a memory quantity: ${quantity}`);
  const factor: Record<string, number> = {
    Ki: 1 / 1024,
    Mi: 1,
    Gi: 1024,
    Ti: 1024 ** 2,
    k: 1000 / 2 ** 20,
    M: 1e6 / 2 ** 20,
    G: 1e9 / 2 ** 20,
    T: 1e12 / 2 ** 20,
  };
  return Number(m[1]) * (m[2] ? factor[m[2]] : 1 / 2 ** 20);
}
