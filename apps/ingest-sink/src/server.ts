#!/usr/bin/env node
// ingest-sink: a Langfuse stand-in for runs without real Langfuse. Speaks Langfuse's OTLP
// ingestion contract, counts what arrives (GET /stats, GET /metrics), injects faults
// (POST /admin/faults), labels arrivals by run (POST /admin/run), and can be reset.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { BadRequest } from './otlp-decode.ts';
import { TRACES_PATH, Unauthorized, bodyFormat, checkAuth, checkIngestionVersion, decodeBody } from './contract.ts';
import { Faults } from './faults.ts';
import { IngestStats } from './stats.ts';

const MAX_BODY = 64 * 1024 * 1024;
const keys = { publicKey: process.env.LANGFUSE_PUBLIC_KEY ?? 'pk-lf-tracelab', secretKey: process.env.LANGFUSE_SECRET_KEY ?? 'sk-lf-tracelab' };
const stats = new IngestStats(Number(process.env.SINK_KEEP_SPANS ?? 0));
const faults = new Faults();
if (process.env.SINK_FAULTS) faults.set(JSON.parse(process.env.SINK_FAULTS));

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new BadRequest(`body larger than ${MAX_BODY} bytes`));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, type = 'application/json'): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function ingest(req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    checkAuth(req.headers.authorization, keys);
    const format = bodyFormat(req.headers['content-type']);
    checkIngestionVersion(req.headers['x-langfuse-ingestion-version'] as string | undefined);
    const raw = await readBody(req);
    const action = faults.decide();
    if (action.kind === 'drop') return void req.socket.destroy();
    if (action.kind === 'error') {
      stats.reject(action.status);
      return send(res, action.status, { message: 'fault injected by ingest-sink' });
    }
    const spans = await decodeBody(raw, req.headers['content-encoding'], format);
    if (action.delayMs > 0) await sleep(action.delayMs);
    stats.record(spans, raw.length);
    send(res, 200, {});
  } catch (error) {
    const status = error instanceof Unauthorized ? 401 : error instanceof BadRequest ? 400 : 500;
    stats.reject(status);
    send(res, status, { message: (error as Error).message });
  }
}

async function admin(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  try {
    if (path === '/admin/faults' && req.method === 'GET') return send(res, 200, faults.get());
    if (path === '/admin/faults' && req.method === 'POST') return send(res, 200, faults.set(JSON.parse((await readBody(req)).toString() || '{}')));
    if (path === '/admin/faults' && req.method === 'DELETE') return send(res, 200, faults.set({}));
    if (path === '/admin/run' && req.method === 'POST') {
      const { run } = JSON.parse((await readBody(req)).toString() || '{}');
      if (typeof run !== 'string' || !run) return send(res, 400, { message: 'body must be {"run": "<label>"}' });
      stats.run = run;
      return send(res, 200, { run });
    }
    if (path === '/admin/reset' && req.method === 'POST') {
      stats.reset();
      return send(res, 200, { reset: true });
    }
    send(res, 404, { message: `no route ${req.method} ${path}` });
  } catch (error) {
    send(res, 400, { message: (error as Error).message });
  }
}

function metrics(): string {
  const s = stats.toJSON();
  const cpu = process.cpuUsage();
  const lines = [
    '# TYPE sink_spans_received_total counter',
    ...s.groups.map((g) => `sink_spans_received_total{service="${g.service}",topology="${g.topology}",run="${g.run}"} ${g.spans}`),
    '# TYPE sink_requests_rejected_total counter',
    ...Object.entries(s.rejected).map(([status, n]) => `sink_requests_rejected_total{status="${status}"} ${n}`),
    '# TYPE process_cpu_seconds_total counter',
    `process_cpu_seconds_total ${(cpu.user + cpu.system) / 1e6}`,
    '# TYPE process_resident_memory_bytes gauge',
    `process_resident_memory_bytes ${process.memoryUsage.rss()}`,
  ];
  return `${lines.join('\n')}\n`;
}

const server = createServer((req, res) => {
  const path = req.url?.split('?')[0] ?? '/';
  if (path === TRACES_PATH) {
    if (req.method !== 'POST') return send(res, 405, { message: 'use POST' });
    return void ingest(req, res);
  }
  if (path.startsWith('/admin/')) return void admin(req, res, path);
  if (req.method === 'GET' && path === '/stats') return send(res, 200, stats.toJSON());
  if (req.method === 'GET' && path === '/spans') return send(res, 200, stats.kept);
  if (req.method === 'GET' && path === '/metrics') return send(res, 200, metrics(), 'text/plain; version=0.0.4');
  if (req.method === 'GET' && (path === '/api/public/health' || path === '/healthz')) return send(res, 200, { status: 'OK' });
  send(res, 404, { message: `no route ${req.method} ${path}` });
});
server.keepAliveTimeout = 65_000;

const shutdown = () => server.close(() => process.exit(0));
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

server.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? '0.0.0.0', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ event: 'listening', port, backend: 'ingest-sink' })}\n`);
});
