// ingest-sink: a Langfuse stand-in for runs without real Langfuse. Reads its settings from env
// (config.ts), builds its parts and listens: the ingestion port (which a "refuse" outage
// closes and reopens, listener.ts) and, if asked, an admin port that stays up meanwhile.
// What it answers is in routes.ts.
import { readConfig } from './config.ts';
import { Faults } from './faults.ts';
import { countPath, type IngestPath, queuePath } from './ingest-path.ts';
import { Listener } from './listener.ts';
import { createSinkServer, type SinkParts } from './routes.ts';
import { IngestStats } from './stats.ts';

const config = readConfig();
const faults = new Faults();
if (config.faults) faults.set(JSON.parse(config.faults));
const path: IngestPath = config.queue ? await queuePath(config.queue) : countPath(config.keys);
const parts: SinkParts = {
  path,
  stats: new IngestStats(config.keepSpans),
  faults,
  maxBodyBytes: config.maxBodyBytes,
  refuseFor: (ms) => listener.refuseFor(ms, (error) => process.stderr.write(`ingest-sink: cannot listen again: ${error.message}\n`)),
};
const listener = new Listener(createSinkServer(parts), config.host, config.port);
const adminServer = config.adminPort !== undefined ? createSinkServer(parts, false) : undefined;

const shutdown = async () => {
  await Promise.all([listener.close(), new Promise((resolve) => (adminServer ? adminServer.close(resolve) : resolve(undefined)))]);
  await path.close();
  process.exit(0);
};
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());

const port = await listener.listen();
const adminPort = adminServer
  ? await new Promise<number>((resolve) =>
      adminServer.listen(config.adminPort, config.host, () => {
        const address = adminServer.address();
        resolve(typeof address === 'object' && address ? address.port : 0);
      }),
    )
  : undefined;
process.stdout.write(`${JSON.stringify({ event: 'listening', port, adminPort, backend: 'ingest-sink', mode: path.mode })}\n`);
