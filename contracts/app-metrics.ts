// The HTTP surface every target app (Node, Python) serves and the metric names it exposes on
// GET /metrics (Prometheus text). The apps write them; the targets (local lab, cluster) read
// them. One list, so a new runtime cannot drift from what the lab scrapes.

export const APP_PATHS = {
  /** POST: one chat message → one traced workflow. */
  chat: '/webhook/chat',
  /** GET: 200 while serving, 503 while draining. */
  health: '/healthz',
  /** GET: Prometheus text with APP_METRICS. */
  metrics: '/metrics',
  /** POST: starts a new event-loop window (the lab calls it when one topology's measured phase in a round begins). */
  resetWindow: '/metrics/reset',
  /** POST: exports every queued span; answers when done. */
  flush: '/admin/flush',
} as const;

/** Metric names (counters without their _total suffix, as a parser reports them). */
export const APP_METRICS = {
  requests: 'tracelab_requests',
  requestDuration: 'tracelab_request_duration_seconds',
  eventLoopDelay: 'tracelab_event_loop_delay_seconds',
  spansStarted: 'tracelab_spans_started',
  spansEnded: 'tracelab_spans_ended',
  spansExported: 'tracelab_spans_exported',
  spansExportFailed: 'tracelab_spans_export_failed',
  spansDropped: 'tracelab_spans_dropped',
  exportCalls: 'tracelab_export_calls',
  exportDurationSum: 'tracelab_export_duration_seconds_sum',
  cpuSeconds: 'process_cpu_seconds',
  residentMemory: 'process_resident_memory_bytes',
} as const;
