// Prometheus text exposition for the target app. Hand-rolled on purpose: prom-client 15
// depends on @opentelemetry/api, and the baseline must load no OpenTelemetry module.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { APP_METRICS as M } from '../../../contracts/app-metrics.ts';
import type { TracingCounters } from './tracing/types.ts';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 1, 2, 5];

export class AppMetrics {
  private readonly topology: string;
  private readonly eventLoop = monitorEventLoopDelay({ resolution: 5 });
  private readonly buckets = new Array<number>(LATENCY_BUCKETS.length).fill(0);
  private requests = 0;
  private failures = 0;
  private latencySum = 0;

  constructor(topology: string) {
    this.topology = topology;
    this.eventLoop.enable();
  }

  observeRequest(seconds: number, ok: boolean): void {
    this.requests++;
    if (!ok) this.failures++;
    this.latencySum += seconds;
    LATENCY_BUCKETS.forEach((le, i) => {
      if (seconds <= le) this.buckets[i]++;
    });
  }

  /** Event-loop delay percentiles cover the time since the last reset (one lab round). */
  resetEventLoop(): void {
    this.eventLoop.reset();
  }

  render(tracing: TracingCounters): string {
    const label = `topology="${this.topology}"`;
    const lines: string[] = [];
    const metric = (name: string, type: string, help: string, samples: Array<[string, number]>) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const [labels, v] of samples) lines.push(`${name}{${label}${labels ? `,${labels}` : ''}} ${v}`);
    };
    metric(`${M.requests}_total`, 'counter', 'Chat requests handled.', [
      ['outcome="ok"', this.requests - this.failures],
      ['outcome="error"', this.failures],
    ]);
    lines.push(`# HELP ${M.requestDuration} Server-side request latency.`, `# TYPE ${M.requestDuration} histogram`);
    LATENCY_BUCKETS.forEach((le, i) => {
      lines.push(`${M.requestDuration}_bucket{${label},le="${le}"} ${this.buckets[i]}`);
    });
    lines.push(`${M.requestDuration}_bucket{${label},le="+Inf"} ${this.requests}`);
    lines.push(`${M.requestDuration}_sum{${label}} ${this.latencySum}`, `${M.requestDuration}_count{${label}} ${this.requests}`);
    const eld = this.eventLoop;
    metric(M.eventLoopDelay, 'gauge', 'Event-loop delay since the last reset (perf_hooks).', [
      ['quantile="0.5"', eld.percentile(50) / 1e9],
      ['quantile="0.99"', eld.percentile(99) / 1e9],
      ['quantile="1"', eld.max / 1e9],
    ]);
    metric(`${M.spansStarted}_total`, 'counter', 'Spans started.', [['', tracing.spansStarted]]);
    metric(`${M.spansEnded}_total`, 'counter', 'Spans ended.', [['', tracing.spansEnded]]);
    metric(`${M.spansExported}_total`, 'counter', 'Spans the exporter delivered.', [['', tracing.spansExported]]);
    metric(`${M.spansExportFailed}_total`, 'counter', 'Spans in failed export calls.', [['', tracing.spansExportFailed]]);
    metric(`${M.spansDropped}_total`, 'counter', 'Spans dropped because the processor queue was full.', [['', tracing.spansDropped]]);
    metric(`${M.exportCalls}_total`, 'counter', 'Export calls.', [['', tracing.exportCalls]]);
    metric(M.exportDurationSum, 'counter', 'Total time spent in export calls.', [['', tracing.exportSeconds]]);
    const cpu = process.cpuUsage();
    metric(`${M.cpuSeconds}_total`, 'counter', 'User and system CPU time.', [['', (cpu.user + cpu.system) / 1e6]]);
    metric(M.residentMemory, 'gauge', 'Resident set size.', [['', process.memoryUsage.rss()]]);
    return `${lines.join('\n')}\n`;
  }
}
