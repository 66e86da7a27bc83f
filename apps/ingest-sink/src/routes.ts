// ingest-sink's HTTP surface: Langfuse's OTLP ingestion endpoint, counts (GET /stats,
// GET /metrics, GET /spans), fault injection (/admin/faults), run labels (/admin/run) and
// reset. Built from its parts so tests can run it in their own process (server.ts starts it).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { BadRequest } from './otlp-decode.ts';
import { TRACES_PATH, Unauthorized, bodyFormat, checkAuth, checkIngestionVersion, decodeBody, type ProjectKeys } from './contract.ts';
import type { Faults } from './faults.ts';
import type { IngestStats } from './stats.ts';

export const MAX_BODY = 64 * 1024 * 1024;

export interface SinkParts {
  readonly keys: ProjectKeys;
  readonly stats: IngestStats;
  readonly faults: Faults;
  /** Largest request body accepted (bytes); larger ones get 400. */
  readonly maxBody?: number;
}

/** The request body; one over maxBody is read to its end (so the client gets the answer) and refused. */
function readBody(req: IncomingMessage, maxBody: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBody) chunks.push(chunk);
    });
    req.on('end', () => (size > maxBody ? reject(new BadRequest(`body larger than ${maxBody} bytes`)) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, type = 'application/json'): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Prometheus text: spans received per group, rejected requests per status, the process's CPU and memory. */
export function renderMetrics(stats: IngestStats): string {
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

export function createSinkServer({ keys, stats, faults, maxBody = MAX_BODY }: SinkParts): Server {
  async function ingest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      checkAuth(req.headers.authorization, keys);
      const format = bodyFormat(req.headers['content-type']);
      checkIngestionVersion(req.headers['x-langfuse-ingestion-version'] as string | undefined);
      const raw = await readBody(req, maxBody);
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
      const json = async () => JSON.parse((await readBody(req, maxBody)).toString() || '{}');
      if (path === '/admin/faults' && req.method === 'GET') return send(res, 200, faults.get());
      if (path === '/admin/faults' && req.method === 'POST') return send(res, 200, faults.set(await json()));
      if (path === '/admin/faults' && req.method === 'DELETE') return send(res, 200, faults.set({}));
      if (path === '/admin/run' && req.method === 'POST') {
        const { run } = await json();
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

  const server = createServer((req, res) => {
    const path = req.url?.split('?')[0] ?? '/';
    if (path === TRACES_PATH) {
      if (req.method !== 'POST') return send(res, 405, { message: 'use POST' });
      return void ingest(req, res);
    }
    if (path.startsWith('/admin/')) return void admin(req, res, path);
    if (req.method === 'GET' && path === '/stats') return send(res, 200, stats.toJSON());
    if (req.method === 'GET' && path === '/spans') return send(res, 200, stats.kept);
    if (req.method === 'GET' && path === '/metrics') return send(res, 200, renderMetrics(stats), 'text/plain; version=0.0.4');
    if (req.method === 'GET' && (path === '/api/public/health' || path === '/healthz')) return send(res, 200, { status: 'OK' });
    send(res, 404, { message: `no route ${req.method} ${path}` });
  });
  server.keepAliveTimeout = 65_000;
  return server;
}
