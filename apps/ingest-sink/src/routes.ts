// ingest-sink's HTTP surface: Langfuse's OTLP ingestion route (contract.ts), the work Langfuse's
// web does before its 200 (ingest-path.ts), counts (GET /stats, /metrics, /spans), fault
// injection (/admin/faults), run labels (/admin/run) and reset. Built from its parts so tests
// run it in their own process; server.ts reads the config and listens.
// Every request body is untrusted: a bad one gets 400/413 with a message, never a crash.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_MAX_BODY } from './config.ts';
import { PayloadTooLarge, TRACES_PATH, Unauthorized, checkIngestionVersion, decodeExport, inflate, readBody } from './contract.ts';
import type { Faults } from './faults.ts';
import type { IngestPath } from './ingest-path.ts';
import { BadRequest } from './otlp-decode.ts';
import type { IngestStats } from './stats.ts';

/** Small admin bodies only. */
const ADMIN_BODY_LIMIT = 64 * 1024;

export interface SinkParts {
  readonly path: IngestPath;
  readonly stats: IngestStats;
  readonly faults: Faults;
  /** Largest request body accepted, compressed or inflated (bytes); larger ones get 413. */
  readonly maxBodyBytes?: number;
  /** Called after a fault setting with a refusal window: closes the ingestion port for that long. */
  readonly refuseFor?: (ms: number) => void;
}

function send(res: ServerResponse, status: number, body: unknown, type = 'application/json'): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const statusOf = (error: unknown) => (error instanceof Unauthorized ? 401 : error instanceof BadRequest ? 400 : error instanceof PayloadTooLarge ? 413 : 500);

/** The answer Langfuse gives each kind of failure, in its body shapes. */
function fail(res: ServerResponse, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  const status = statusOf(error);
  send(res, status, status === 401 ? { message } : status === 500 ? { message: 'Internal Server Error', error: message } : { error: message });
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = (await readBody(req, ADMIN_BODY_LIMIT)).toString() || '{}';
  try {
    const value = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
    return value;
  } catch (error) {
    throw new BadRequest(`body must be a JSON object: ${(error as Error).message}`);
  }
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

/**
 * The sink's request handler. `ingestion`: this server also serves the OTLP route (the admin
 * port does not, so counts stay readable while an outage refuses ingestion).
 */
export function sinkHandler(parts: SinkParts, ingestion = true): (req: IncomingMessage, res: ServerResponse) => void {
  const { path, stats, faults, maxBodyBytes = DEFAULT_MAX_BODY } = parts;

  async function ingest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const keys = await path.authenticate(req.headers.authorization);
      const raw = await readBody(req, maxBodyBytes);
      const action = faults.decide();
      if (action.kind === 'drop') return void req.socket.destroy();
      if (action.kind === 'error') {
        stats.reject(action.status);
        return send(res, action.status, { message: 'fault injected by ingest-sink' });
      }
      const decoded = decodeExport(await inflate(raw, req.headers['content-encoding'], maxBodyBytes), req.headers['content-type']);
      if (decoded.empty) return send(res, 200, {});
      const version = req.headers['x-langfuse-ingestion-version'] as string | undefined;
      checkIngestionVersion(version);
      if (action.delayMs > 0) await sleep(action.delayMs);
      const job = await path.publish(decoded.resourceSpans, keys.publicKey, version);
      stats.record(decoded.spans, raw.length);
      send(res, 200, job);
    } catch (error) {
      stats.reject(statusOf(error));
      fail(res, error);
    }
  }

  async function admin(req: IncomingMessage, res: ServerResponse, route: string): Promise<void> {
    try {
      if (route === '/admin/faults' && req.method === 'GET') return send(res, 200, faults.get());
      if (route === '/admin/faults' && (req.method === 'POST' || req.method === 'DELETE')) {
        const settings = faults.set(req.method === 'DELETE' ? {} : await readJson(req));
        const refuseMs = faults.refusalMs();
        if (refuseMs > 0) parts.refuseFor?.(refuseMs);
        return send(res, 200, settings);
      }
      if (route === '/admin/run' && req.method === 'POST') {
        const { run } = await readJson(req);
        if (typeof run !== 'string' || !run || run.length > 200) return send(res, 400, { error: 'body must be {"run": "<label>"} (1-200 characters)' });
        stats.run = run;
        return send(res, 200, { run });
      }
      if (route === '/admin/reset' && req.method === 'POST') {
        stats.reset();
        return send(res, 200, { reset: true });
      }
      send(res, 404, { message: `no route ${req.method} ${route}` });
    } catch (error) {
      // A bad fault setting names its field (zod's message).
      fail(res, error instanceof Error && error.name === 'ZodError' ? new BadRequest(error.message) : error);
    }
  }

  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://sink');
    const route = url.pathname;
    if (route === TRACES_PATH && ingestion) {
      if (req.method !== 'POST') return send(res, 405, { message: 'use POST' });
      return void ingest(req, res);
    }
    if (route.startsWith('/admin/')) return void admin(req, res, route);
    if (req.method === 'GET' && route === '/stats') return send(res, 200, stats.toJSON(url.searchParams.get('run') ?? undefined));
    if (req.method === 'GET' && route === '/spans') return send(res, 200, stats.kept);
    if (req.method === 'GET' && route === '/metrics') return send(res, 200, renderMetrics(stats), 'text/plain; version=0.0.4');
    if (req.method === 'GET' && (route === '/api/public/health' || route === '/healthz')) return send(res, 200, { status: 'OK', mode: path.mode });
    send(res, 404, { message: `no route ${req.method} ${route}` });
  };
}

/** An HTTP server over the sink's handler, with keep-alive longer than a collector's idle timeout. */
export function createSinkServer(parts: SinkParts, ingestion = true): Server {
  const server = createServer(sinkHandler(parts, ingestion));
  server.keepAliveTimeout = 65_000;
  return server;
}
