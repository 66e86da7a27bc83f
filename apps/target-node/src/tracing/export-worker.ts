// The export worker's thread (see worker-exporter.ts): rebuilds each handed-over batch and
// exports it with the configured OTLP exporter, reporting the outcome and how long encoding
// took (the synchronous part of export(), where the OTLP serializer runs).
import { parentPort, workerData } from 'node:worker_threads';
import { ExportResultCode } from '@opentelemetry/core';
import { buildOtlpExporter, type ExporterConfig } from './otlp-exporter.ts';
import { fromPlainBatch } from './span-transfer.ts';
import type { FromWorker, ToWorker } from './worker-exporter.ts';

const port = parentPort;
if (!port) throw new Error('export-worker.ts runs only as a worker thread');
const exporter = buildOtlpExporter(workerData as ExporterConfig);

port.on('message', (message: ToWorker) => {
  if ('shutdown' in message) {
    void exporter.shutdown().finally(() => {
      port.postMessage({ shutdown: true } satisfies FromWorker);
      port.close();
    });
    return;
  }
  const spans = fromPlainBatch(message.batch);
  let serializeMs: number | undefined;
  let reply: FromWorker | undefined;
  const send = () => {
    if (serializeMs !== undefined && reply) port.postMessage({ ...reply, serializeMs });
  };
  const started = performance.now();
  exporter.export(spans, (result) => {
    reply = { id: message.id, ok: result.code === ExportResultCode.SUCCESS, error: result.error?.message, serializeMs: 0 };
    send();
  });
  serializeMs = performance.now() - started;
  send();
});
