#!/usr/bin/env node
// Benchmark: how many spans/s one ingest-sink process accepts, its CPU per 1k spans and the
// round trip an exporter sees. Sends pre-encoded 512-span protobuf batches (as a collector
// would) over keep-alive connections to a sink on loopback, for a bounded time. In queue mode
// the sink does Langfuse's request path first (key via Redis, batch to MinIO, BullMQ job); the
// CPU of Redis and MinIO is reported too. Prints figures; asserts nothing.
//   node infra/bench/sink-throughput.ts [--seconds 10] [--connections 4] [--gzip] [--mode count|queue]
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { processCpuSeconds } from '../local/interference.ts';
import { SINK_KEYS, basicAuth, startSink } from '../local/services.ts';
import { startSinkDatastores } from '../local/sink-datastores.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '4' },
    gzip: { type: 'boolean', default: false },
    'batch-size': { type: 'string', default: '512' },
    mode: { type: 'string', default: 'count' },
  },
});
if (values.mode !== 'count' && values.mode !== 'queue') throw new Error(`--mode must be count or queue, got "${values.mode}"`);
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

const stores = values.mode === 'queue' ? await startSinkDatastores((line) => console.log(line), { cpus: '0' }) : undefined;
const sink = await startSink({ cpus: '0', queue: stores?.sinkEnv });
const storeCpu = () => (stores?.services ?? []).reduce((n, s) => n + (s.process.pid ? (processCpuSeconds(s.process.pid) ?? 0) : 0), 0);
const cpuSeconds = async () => Number((await (await fetch(`${sink.url}/metrics`)).text()).match(/^process_cpu_seconds_total (\S+)$/m)![1]);
const body = batch();
const headers: Record<string, string> = {
  authorization: `Basic ${basicAuth(SINK_KEYS)}`,
  'content-type': 'application/x-protobuf',
  ...(values.gzip ? { 'content-encoding': 'gzip' } : {}),
};

console.log(
  `ingest-sink throughput (${values.mode} mode): ${connections} connections, ${batchSize}-span batches (${body.length} bytes${values.gzip ? ', gzip' : ''}), ${seconds}s, sink pinned to CPU 0`,
);
const cpuBefore = await cpuSeconds();
const storeBefore = storeCpu();
const roundTrips: number[] = [];
const started = performance.now();
const deadline = started + seconds * 1000;
let spans = 0;
let errors = 0;
await Promise.all(
  Array.from({ length: connections }, async () => {
    while (performance.now() < deadline) {
      const sent = performance.now();
      const response = await fetch(`${sink.url}/api/public/otel/v1/traces`, { method: 'POST', body, headers }).catch(() => undefined);
      roundTrips.push(performance.now() - sent);
      if (response?.ok) spans += batchSize;
      else errors++;
      await response?.arrayBuffer();
    }
  }),
);
const elapsed = (performance.now() - started) / 1000;
const cpu = (await cpuSeconds()) - cpuBefore;
const storesCpu = storeCpu() - storeBefore;
// The same batch is sent again and again: the sink counts its spans once and the rest as duplicates.
const groups = ((await (await fetch(`${sink.url}/stats`)).json()) as { groups: Array<{ spans: number; duplicates: number }> }).groups;
const counted = groups.reduce((n, g) => n + g.spans + g.duplicates, 0);
await sink.process.stop();
await stores?.stop();
if (counted !== spans) console.log(`  WARNING: the sink counted ${counted} spans (distinct + re-sent), the client saw ${spans} accepted`);
console.log(`  counted    ${counted} span arrivals at the sink (one batch sent over and over: 512 distinct)`);
console.log(`  accepted   ${spans} spans in ${elapsed.toFixed(1)}s = ${Math.round(spans / elapsed)} spans/s (${errors} failed requests)`);
console.log(
  `  sink CPU   ${cpu.toFixed(2)} s = ${((cpu / spans) * 1000 * 1000).toFixed(2)} ms per 1k spans (${((cpu / elapsed) * 100).toFixed(0)}% of one core)`,
);
const sorted = roundTrips.sort((a, b) => a - b);
const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
console.log(`  round trip p50 ${at(0.5).toFixed(1)} ms, p99 ${at(0.99).toFixed(1)} ms (${connections} requests in flight)`);
if (stores) console.log(`  Redis + MinIO CPU ${storesCpu.toFixed(2)} s = ${((storesCpu / spans) * 1000 * 1000).toFixed(2)} ms per 1k spans`);
