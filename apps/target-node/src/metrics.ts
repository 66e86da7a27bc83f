// Prometheus text exposition for the target app. Hand-rolled on purpose: prom-client 15
// depends on @opentelemetry/api, and the baseline must load no OpenTelemetry module.
import { monitorEventLoopDelay } from 'node:perf_hooks';
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
    metric('tracelab_requests_total', 'counter', 'Chat requests handled.', [
      ['outcome="ok"', this.requests - this.failures],
      ['outcome="error"', this.failures],
    ]);
    lines.push('# HELP tracelab_request_duration_seconds Server-side request latency.', '# TYPE tracelab_request_duration_seconds histogram');
    LATENCY_BUCKETS.forEach((le, i) => {
      lines.push(`tracelab_request_duration_seconds_bucket{${label},le="${le}"} ${this.buckets[i]}`);
    });
    lines.push(`tracelab_request_duration_seconds_bucket{${label},le="+Inf"} ${this.requests}`);
    lines.push(`tracelab_request_duration_seconds_sum{${label}} ${this.latencySum}`, `tracelab_request_duration_seconds_count{${label}} ${this.requests}`);
    const eld = this.eventLoop;
    metric('tracelab_event_loop_delay_seconds', 'gauge', 'Event-loop delay since the last reset (perf_hooks).', [
      ['quantile="0.5"', eld.percentile(50) / 1e9],
      ['quantile="0.99"', eld.percentile(99) / 1e9],
      ['quantile="1"', eld.max / 1e9],
    ]);
    metric('tracelab_spans_started_total', 'counter', 'Spans started.', [['', tracing.spansStarted]]);
    metric('tracelab_spans_ended_total', 'counter', 'Spans ended.', [['', tracing.spansEnded]]);
    metric('tracelab_spans_exported_total', 'counter', 'Spans the exporter delivered.', [['', tracing.spansExported]]);
    metric('tracelab_spans_export_failed_total', 'counter', 'Spans in failed export calls.', [['', tracing.spansExportFailed]]);
    metric('tracelab_spans_dropped_total', 'counter', 'Spans dropped because the processor queue was full.', [['', tracing.spansDropped]]);
    metric('tracelab_export_calls_total', 'counter', 'Export calls.', [['', tracing.exportCalls]]);
    metric('tracelab_export_duration_seconds_sum', 'counter', 'Total time spent in export calls.', [['', tracing.exportSeconds]]);
    const cpu = process.cpuUsage();
    metric('process_cpu_seconds_total', 'counter', 'User and system CPU time.', [['', (cpu.user + cpu.system) / 1e6]]);
    metric('process_resident_memory_bytes', 'gauge', 'Resident set size.', [['', process.memoryUsage.rss()]]);
    return `${lines.join('\n')}\n`;
  }
}
