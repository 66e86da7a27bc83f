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
  /** POST {"slot": "<label>"}: spans started from now on carry SLOT_ATTRIBUTE = label. */
  slot: '/admin/slot',
  /** GET: the AppTimeline of the current window (contracts/app-timeline.ts). */
  timeline: '/debug/timeline',
} as const;

/**
 * Request header with the load generator's sequence number of the request within its slot.
 * The app derives the request's simulated LLM jitter from it (llmJitterFraction in
 * contracts/target-app.ts), so every topology and round sees the same work, and records it
 * in its timeline so client-side samples join server-side events.
 */
export const SEQ_HEADER = 'x-tracelab-seq';

/** Span attribute naming the lab slot (topology × round) of the request that made the span. */
export const SLOT_ATTRIBUTE = 'tracelab.slot';

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
  // Python only (the node app has no export thread and no GIL):
  /** CPU seconds of the SDK's export thread(s), read from each thread's own CPU clock. */
  exportThreadCpu: 'tracelab_export_thread_cpu_seconds',
  /** CPU seconds of export calls, on the exporting thread's clock (flushes on the loop included). */
  exportCpu: 'tracelab_export_cpu_seconds',
  /** GIL contention since the last window reset: waited / sampled time of a GIL sampler (0..1). */
  gilContention: 'tracelab_gil_contention_ratio',
} as const;
