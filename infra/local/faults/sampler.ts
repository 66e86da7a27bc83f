// Readings over time during a fault slot: the app's RSS, the spans of the slot the backend
// holds, and the slot's collector's queue size — every SAMPLE_MS from the start of the load
// until the drain ends. A reading that fails (the app restarting, the collector down) is null.
import { APP_METRICS as M, APP_PATHS } from '../../../contracts/app-metrics.ts';
import type { BackendCounters, SlotSeries } from '../../load/record.ts';
import { parsePrometheusText, sumOf } from '../prometheus-text.ts';
import type { CollectorService, Service } from '../services.ts';

export const SAMPLE_MS = 500;
/** A soak of several hours stays bounded. */
const MAX_SAMPLES = 50_000;

const text = async (url: string) => {
  const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.text();
};

export class SlotSampler {
  private readonly series: {
    t: number[];
    appRssBytes: Array<number | null>;
    appSpansEnded: Array<number | null>;
    backendSpans: Array<number | null>;
    collectorQueueSize: Array<number | null>;
  } = {
    t: [],
    appRssBytes: [],
    appSpansEnded: [],
    backendSpans: [],
    collectorQueueSize: [],
  };
  private timer?: NodeJS.Timeout;
  private inFlight?: Promise<void>;

  private readonly app: Service;
  private readonly countBackend: () => Promise<BackendCounters>;
  private readonly collector?: CollectorService;

  /** `countBackend`: the slot's spans the backend holds now (one reading, no waiting). */
  constructor(app: Service, countBackend: () => Promise<BackendCounters>, collector?: CollectorService) {
    this.app = app;
    this.countBackend = countBackend;
    this.collector = collector;
  }

  start(): void {
    const tick = () => {
      if (this.series.t.length >= MAX_SAMPLES) return;
      this.inFlight = this.read();
    };
    tick();
    this.timer = setInterval(() => {
      // One reading at a time: a slow endpoint delays the next, never piles them up.
      if (!this.inFlight) tick();
    }, SAMPLE_MS);
    // Never what keeps the lab's process alive, whatever path a slot ends on.
    this.timer.unref();
  }

  private async read(): Promise<void> {
    const t = Date.now();
    const [app, backend, queue] = await Promise.all([
      text(`${this.app.url}${APP_PATHS.metrics}`).then(
        (m) => {
          const s = parsePrometheusText(m);
          return { rss: sumOf(s, M.residentMemory), ended: sumOf(s, M.spansEnded) };
        },
        () => null,
      ),
      this.countBackend().then(
        (b) => b.spans,
        () => null,
      ),
      this.collector
        ? text(this.collector.metricsUrl).then(
            (m) => sumOf(parsePrometheusText(m), 'otelcol_exporter_queue_size'),
            () => null,
          )
        : Promise.resolve(null),
    ]);
    this.series.t.push(t);
    this.series.appRssBytes.push(app?.rss ?? null);
    this.series.appSpansEnded.push(app?.ended ?? null);
    this.series.backendSpans.push(backend);
    this.series.collectorQueueSize.push(queue);
    this.inFlight = undefined;
  }

  async stop(): Promise<SlotSeries> {
    clearInterval(this.timer);
    await this.inFlight;
    return this.series;
  }
}
