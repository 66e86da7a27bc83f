#!/usr/bin/env node
// ingest-sink: a Langfuse stand-in for runs without real Langfuse (routes.ts). This file is
// the process: settings from env, listen, report the port on stdout, stop on SIGTERM/SIGINT.
//   PORT (3000), HOST (0.0.0.0), LANGFUSE_PUBLIC_KEY / LANGFUSE_SECRET_KEY (the project keys
//   it accepts), SINK_KEEP_SPANS (spans kept for GET /spans; 0), SINK_FAULTS (JSON, faults.ts)
import { Faults } from './faults.ts';
import { createSinkServer } from './routes.ts';
import { IngestStats } from './stats.ts';

const keys = { publicKey: process.env.LANGFUSE_PUBLIC_KEY ?? 'pk-lf-tracelab', secretKey: process.env.LANGFUSE_SECRET_KEY ?? 'sk-lf-tracelab' };
const faults = new Faults();
if (process.env.SINK_FAULTS) faults.set(JSON.parse(process.env.SINK_FAULTS));
const server = createSinkServer({ keys, stats: new IngestStats(Number(process.env.SINK_KEEP_SPANS ?? 0)), faults });

const shutdown = () => server.close(() => process.exit(0));
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

server.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? '0.0.0.0', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ event: 'listening', port, backend: 'ingest-sink' })}\n`);
});
