// Resolves the real binaries once per test run (building them with Go on a fresh clone)
// and hands their paths to the tests through env.
import { resolveMinio, resolveRedisServer } from '../../infra/tools/datastores.ts';
import { resolveTool } from '../../infra/tools/resolve.ts';

export default async function setup(): Promise<void> {
  const progress = (line: string) => process.stderr.write(`[tools] ${line}\n`);
  for (const tool of ['otelcol', 'k6'] as const) {
    const resolved = await resolveTool(tool, progress);
    process.env[tool === 'k6' ? 'TRACELAB_K6' : 'TRACELAB_OTELCOL'] = resolved.path;
    progress(`${tool}: ${resolved.path} (${resolved.source})`);
  }
  // ingest-sink's queue mode (the lab's default) runs against these two.
  process.env.TRACELAB_REDIS_SERVER = await resolveRedisServer(progress);
  process.env.TRACELAB_MINIO = await resolveMinio(progress);
  progress(`redis-server: ${process.env.TRACELAB_REDIS_SERVER}; minio: ${process.env.TRACELAB_MINIO}`);
}
