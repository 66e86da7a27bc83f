#!/usr/bin/env node
// Benchmark: how many spans/s one ingest-sink process accepts, and its CPU per 1k spans.
// Sends pre-encoded 512-span protobuf batches (as a collector would) over keep-alive
// connections to a sink on loopback, for a bounded time. Prints figures; asserts nothing.
//   node infra/bench/sink-throughput.ts [--seconds 10] [--connections 4] [--gzip]
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { SINK_KEYS, basicAuth, startSink } from '../local/services.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '4' },
    gzip: { type: 'boolean', default: false },
    'batch-size': { type: 'string', default: '512' },
  },
});
const seconds = Math.min(Number(values.seconds), 120);
const connections = Math.min(Number(values.connections), 32);
const batchSize = Number(values['batch-size']);

/** One batch as the SDK would export it: real spans from a tracer, encoded by OpenTelemetry's serializer. */
function batch(): Buffer {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'bench' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('bench');
  for (let i = 0; i < batchSize; i++) {
    tracer
      .startSpan(`span-${i}`, {
        attributes: { 'langfuse.observation.type': i % 6 === 3 ? 'generation' : 'span', 'langfuse.observation.input': 'x'.repeat(512) },
      })
      .end();
  }
  const body = Buffer.from(ProtobufTraceSerializer.serializeRequest(exporter.getFinishedSpans())!);
  return values.gzip ? gzipSync(body) : body;
}

const sink = await startSink({ cpus: '0' });
const cpuSeconds = async () => Number((await (await fetch(`${sink.url}/metrics`)).text()).match(/^process_cpu_seconds_total (\S+)$/m)![1]);
const body = batch();
const headers: Record<string, string> = {
  authorization: `Basic ${basicAuth(SINK_KEYS)}`,
  'content-type': 'application/x-protobuf',
  ...(values.gzip ? { 'content-encoding': 'gzip' } : {}),
};

console.log(
  `ingest-sink throughput: ${connections} connections, ${batchSize}-span batches (${body.length} bytes${values.gzip ? ', gzip' : ''}), ${seconds}s, sink pinned to CPU 0`,
);
const cpuBefore = await cpuSeconds();
const started = performance.now();
const deadline = started + seconds * 1000;
let spans = 0;
let errors = 0;
await Promise.all(
  Array.from({ length: connections }, async () => {
    while (performance.now() < deadline) {
      const response = await fetch(`${sink.url}/api/public/otel/v1/traces`, { method: 'POST', body, headers }).catch(() => undefined);
      if (response?.ok) spans += batchSize;
      else errors++;
      await response?.arrayBuffer();
    }
  }),
);
const elapsed = (performance.now() - started) / 1000;
const cpu = (await cpuSeconds()) - cpuBefore;
const counted = ((await (await fetch(`${sink.url}/stats`)).json()) as { totals: { spans: number } }).totals.spans;
await sink.process.stop();
if (counted !== spans) console.log(`  WARNING: the sink counted ${counted} spans, the client saw ${spans} accepted`);
console.log(`  counted    ${counted} spans at the sink`);
console.log(`  accepted   ${spans} spans in ${elapsed.toFixed(1)}s = ${Math.round(spans / elapsed)} spans/s (${errors} failed requests)`);
console.log(
  `  sink CPU   ${cpu.toFixed(2)} s = ${((cpu / spans) * 1000 * 1000).toFixed(2)} ms per 1k spans (${((cpu / elapsed) * 100).toFixed(0)}% of one core)`,
);
