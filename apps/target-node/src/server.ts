#!/usr/bin/env node
// The target app: a chat webhook running a simulated LLM workflow per request, traced
// according to env (contracts/target-app.ts). Its HTTP surface is contracts/app-metrics.ts:
// the chat webhook, health, metrics, a window reset, flush, the lab slot and the timeline.
// SIGTERM: stop accepting, finish in-flight requests, flush every span, exit.
// `--print-settings`: print what was parsed from env (TargetSettings as JSON) and exit; the
// env-contract test runs the Python app's equivalent against it.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { APP_PATHS, SEQ_HEADER } from '../../../contracts/app-metrics.ts';
import { SLOT_ENV, readSettings } from '../../../contracts/target-app.ts';
import { AppMetrics } from './metrics.ts';
import { HttpError, readJsonObject } from './request-body.ts';
import { epochMs, Timeline } from './timeline.ts';
import { createTracing } from './tracing/index.ts';
import { Workflow, type ChatMessage } from './workflow.ts';
import { planSpans } from './workflow-plan.ts';

const MAX_BODY = 1024 * 1024;
const SHUTDOWN_TIMEOUT_MS = Number(process.env.TRACELAB_SHUTDOWN_TIMEOUT_MS ?? 25_000);

if (process.argv.includes('--print-settings')) {
  try {
    process.stdout.write(`${JSON.stringify(readSettings())}\n`);
    process.exit(0);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
}

const settings = readSettings();
const runtime = `node ${process.version}`;
const timeline = new Timeline();
const tracing = await createTracing(settings, timeline);
if (process.env[SLOT_ENV]) tracing.setSlot(process.env[SLOT_ENV]);
const workflow = new Workflow(planSpans(settings.workload), settings.workload);
const metrics = new AppMetrics(settings.topology);
let draining = false;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) reject(new Error('body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, type = 'application/json'): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  // While draining, every answer closes its connection so keep-alive clients move on.
  if (draining) res.setHeader('connection', 'close');
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** The x-tracelab-seq header as a non-negative integer, or -1. */
function sequenceOf(req: IncomingMessage): number {
  const seq = Number(req.headers[SEQ_HEADER]);
  return Number.isSafeInteger(seq) && seq >= 0 ? seq : -1;
}

async function chat(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = performance.now();
  const startMs = epochMs();
  const seq = sequenceOf(req);
  let ok = false;
  try {
    const parsed = await readJsonObject(req, MAX_BODY);
    if (typeof parsed.message !== 'string') return send(res, 400, { error: 'body must be JSON with a "message" string' });
    // Only strings: String() of a parsed object can throw.
    const text = (v: unknown, fallback: string) => (typeof v === 'string' ? v : fallback);
    const message: ChatMessage = { userId: text(parsed.userId, 'anonymous'), sessionId: text(parsed.sessionId, 'none'), message: parsed.message };
    const result = await workflow.handle(tracing, message, seq);
    ok = true;
    send(res, 200, result);
  } catch (error) {
    send(res, error instanceof HttpError ? error.status : 500, { error: (error as Error).message });
  } finally {
    metrics.observeRequest((performance.now() - started) / 1000, ok);
    timeline.request(seq, startMs, epochMs(), ok);
  }
}

/** POST /admin/slot {"slot": "<label>"}: spans started from now on belong to that slot. */
async function setSlot(req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const { slot } = JSON.parse(await readBody(req)) as { slot?: unknown };
    if (typeof slot !== 'string' || slot === '' || slot.length > 200)
      return send(res, 400, { error: 'body must be JSON with a "slot" string (1-200 characters)' });
    tracing.setSlot(slot);
    send(res, 204, '');
  } catch (error) {
    send(res, 400, { error: (error as Error).message });
  }
}

const server = createServer((req, res) => {
  const path = req.url?.split('?')[0];
  if (req.method === 'POST' && path === APP_PATHS.chat) {
    // A request that arrives on a kept-alive connection after SIGTERM is refused, not traced.
    if (draining) return send(res, 503, { error: 'shutting down' });
    return void chat(req, res);
  }
  if (req.method === 'GET' && path === APP_PATHS.health)
    return send(res, draining ? 503 : 200, {
      status: draining ? 'draining' : 'ok',
      topology: settings.topology,
      tracing: settings.tracing,
      runtime,
      sdk: tracing.sdk,
    });
  if (req.method === 'GET' && path === APP_PATHS.metrics) return send(res, 200, metrics.render(tracing.counters()), 'text/plain; version=0.0.4');
  if (req.method === 'POST' && path === APP_PATHS.flush) {
    // The lab flushes between rounds so every span of a round is counted in that round.
    return void tracing.flush().then(
      () => send(res, 204, ''),
      (error: Error) => send(res, 500, { error: error.message }),
    );
  }
  if (req.method === 'POST' && path === APP_PATHS.resetWindow) {
    metrics.resetEventLoop();
    timeline.reset();
    return send(res, 204, '');
  }
  if (req.method === 'POST' && path === APP_PATHS.slot) return void setSlot(req, res);
  if (req.method === 'GET' && path === APP_PATHS.timeline) return send(res, 200, timeline.snapshot());
  send(res, 404, { error: `no route ${req.method} ${path}` });
});
server.keepAliveTimeout = 65_000;

async function shutdown(signal: string): Promise<void> {
  if (draining) return;
  draining = true;
  const timer = setTimeout(() => {
    process.stderr.write(`target-node: shutdown took longer than ${SHUTDOWN_TIMEOUT_MS} ms; exiting with spans possibly unflushed\n`);
    process.exit(1);
  }, SHUTDOWN_TIMEOUT_MS);
  timer.unref();
  // Stop accepting, let in-flight requests finish (their spans end), then flush.
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    server.once('close', () => clearInterval(sweep));
  });
  await tracing.shutdown();
  timeline.close();
  const c = tracing.counters();
  // The final /metrics reading, machine-readable: a lab that restarts the app under load
  // (fault runs) adds this instance's counts to the slot's.
  process.stdout.write(`${JSON.stringify({ event: 'drained', signal, metrics: metrics.render(c) })}\n`);
  process.stderr.write(
    `target-node: ${signal}: drained; spans ended ${c.spansEnded}, exported ${c.spansExported}, failed ${c.spansExportFailed}, dropped ${c.spansDropped}\n`,
  );
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

server.listen(settings.port, process.env.HOST ?? '0.0.0.0', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : settings.port;
  // One machine-readable line: the lab and the tests wait for it.
  process.stdout.write(`${JSON.stringify({ event: 'listening', port, topology: settings.topology, tracing: settings.tracing, runtime, sdk: tracing.sdk })}\n`);
});
