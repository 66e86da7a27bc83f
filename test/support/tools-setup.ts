// Resolves the real binaries once per test run (building them with Go on a fresh clone)
// and the Python target's virtualenvs (one per SDK line, from the hashed locks), and hands
// their paths to the tests through env.
import { resolvePythonVenv } from '../../infra/tools/python.ts';
import { resolveTool } from '../../infra/tools/resolve.ts';

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
  for (const tool of ['otelcol', 'k6'] as const) {
    const resolved = await resolveTool(tool, progress);
    process.env[tool === 'k6' ? 'TRACELAB_K6' : 'TRACELAB_OTELCOL'] = resolved.path;
    progress(`${tool}: ${resolved.path} (${resolved.source})`);
  }
  await python;
}
