// sdk.serializeIn: worker — the batch is handed to a worker thread that encodes, compresses
// and sends it with the same OTLP exporter the event loop would have used. The event loop
// pays only the hand-off (a plain copy of the spans and a structured clone); CountingExporter
// measures that as the export's onLoopMs, and the worker reports its own encoding time.
import { Worker } from 'node:worker_threads';
import { ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { TimedExportResult } from './counting.ts';
import type { ExporterConfig } from './otlp-exporter.ts';
import { toPlainBatch } from './span-transfer.ts';

/** Messages between the event loop and the export worker. */
export type ToWorker = { readonly id: number; readonly batch: ReturnType<typeof toPlainBatch> } | { readonly shutdown: true };
export type FromWorker = { readonly id: number; readonly ok: boolean; readonly error?: string; readonly serializeMs: number } | { readonly shutdown: true };

export class WorkerSpanExporter implements SpanExporter {
  private readonly worker: Worker;
  private next = 0;
  private readonly pending = new Map<number, (result: TimedExportResult) => void>();
  private idle: Array<() => void> = [];
  private closed?: Promise<void>;

  constructor(config: ExporterConfig) {
    this.worker = new Worker(new URL('./export-worker.ts', import.meta.url), { workerData: config });
    // An idle worker must not keep the app alive; shutdown() drains it first.
    this.worker.unref();
    this.worker.on('message', (message: FromWorker) => {
      if ('shutdown' in message) return;
      const done = this.pending.get(message.id);
      this.pending.delete(message.id);
      done?.({
        code: message.ok ? ExportResultCode.SUCCESS : ExportResultCode.FAILED,
        error: message.error ? new Error(message.error) : undefined,
        serializeMs: message.serializeMs,
      });
      this.settleIdle();
    });
    this.worker.on('error', (error) => this.failAll(error));
    this.worker.on('exit', (code) => this.failAll(new Error(`export worker exited with code ${code}`)));
  }

  export(spans: ReadableSpan[], done: (result: TimedExportResult) => void): void {
    if (this.closed) {
      done({ code: ExportResultCode.FAILED, error: new Error('exporter is shut down') });
      return;
    }
    const id = this.next++;
    this.pending.set(id, done);
    this.worker.postMessage({ id, batch: toPlainBatch(spans) } satisfies ToWorker);
  }

  /** Resolves when every batch handed over so far has its outcome. */
  forceFlush(): Promise<void> {
    if (this.pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  shutdown(): Promise<void> {
    this.closed ??= (async () => {
      await this.forceFlush();
      const stopped = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
      this.worker.postMessage({ shutdown: true } satisfies ToWorker);
      // The worker exits once its exporter has shut down; bounded in case it cannot.
      await Promise.race([stopped, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
      await this.worker.terminate();
    })();
    return this.closed;
  }

  private settleIdle(): void {
    if (this.pending.size > 0) return;
    const waiting = this.idle;
    this.idle = [];
    for (const resolve of waiting) resolve();
  }

  private failAll(error: Error): void {
    for (const done of this.pending.values()) done({ code: ExportResultCode.FAILED, error });
    this.pending.clear();
    this.settleIdle();
  }
}
