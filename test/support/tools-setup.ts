// Resolves the real binaries once per test run (building them with Go on a fresh clone)
// and the Python target's virtualenvs (one per SDK line, from the hashed locks), and hands
// their paths to the tests through env. Also makes sure the local Langfuse's build
// and its datastores' programs are there (built once per user and version, ~10-20 min cold
// with progress; a few seconds when cached), unless TRACELAB_LANGFUSE_TESTS=off (or 3 / 4 for one major).
import { buildLangfuse } from '../../infra/langfuse/build.ts';
import { resolvePrerequisites } from '../../infra/langfuse/prerequisites.ts';
import { langfuseSource } from '../../infra/langfuse/source.ts';
import { resolvePythonVenv } from '../../infra/tools/python.ts';
import { resolveMinio, resolveRedisServer } from '../../infra/tools/datastores.ts';
import { resolveTool } from '../../infra/tools/resolve.ts';

const ENV = { k6: 'TRACELAB_K6', otelcol: 'TRACELAB_OTELCOL', helm: 'TRACELAB_HELM' } as const;

export default async function setup(): Promise<void> {
  const progress = (line: string) => process.stderr.write(`[tools] ${line}\n`);
  const python = Promise.all(
    ([3, 5] as const).map(async (line) => {
      try {
        const venv = await resolvePythonVenv(line, progress);
        process.env[`TRACELAB_PYTHON_SDK${line}`] = venv.python;
        progress(`python SDK line ${line}: ${venv.python} (${venv.source})`);
      } catch (error) {
        // Reported by every test that needs it (test/support/python.ts), not by the node tests.
        process.env[`TRACELAB_PYTHON_SDK${line}_ERROR`] = (error as Error).message;
        progress(`python SDK line ${line}: NOT available: ${(error as Error).message}`);
      }
    }),
  );
  for (const tool of ['otelcol', 'k6', 'helm'] as const) {
    const resolved = await resolveTool(tool, progress);
    process.env[ENV[tool]] = resolved.path;
    progress(`${tool}: ${resolved.path} (${resolved.source})`);
  }
  await python;
  // ingest-sink's queue mode (the lab's default) runs against these two.
  process.env.TRACELAB_REDIS_SERVER = await resolveRedisServer(progress);
  process.env.TRACELAB_MINIO = await resolveMinio(progress);
  progress(`redis-server: ${process.env.TRACELAB_REDIS_SERVER}; minio: ${process.env.TRACELAB_MINIO}`);
  if (process.env.TRACELAB_LANGFUSE_TESTS === 'off') return;
  const started = Date.now();
  try {
    const setting = process.env.TRACELAB_LANGFUSE_TESTS ?? 'both';
    const majors = setting === '3' ? [3] : setting === '4' ? [4] : [3, 4];
    // One build at a time: each peaks at ~8.5 GB RAM.
    for (const major of majors) await buildLangfuse(langfuseSource(major as 3 | 4), progress);
    const tools = await resolvePrerequisites(progress);
    progress(`Langfuse ${majors.join(' and ')} and the datastores ready (${Math.round((Date.now() - started) / 1000)}s); chDB python ${tools.python}`);
  } catch (error) {
    // Only the tests that need a local Langfuse fail (with this message); the rest still run.
    process.env.TRACELAB_LANGFUSE_SETUP_ERROR = (error as Error).message;
    progress(`local Langfuse NOT available: ${(error as Error).message}`);
  }
}
