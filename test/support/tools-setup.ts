// Resolves the real binaries once per test run (building them with Go on a fresh clone)
// and hands their paths to the tests through env.
import { resolveTool } from '../../infra/tools/resolve.ts';

const ENV = { k6: 'TRACELAB_K6', otelcol: 'TRACELAB_OTELCOL', helm: 'TRACELAB_HELM' } as const;

export default async function setup(): Promise<void> {
  const progress = (line: string) => process.stderr.write(`[tools] ${line}\n`);
  for (const tool of ['otelcol', 'k6', 'helm'] as const) {
    const resolved = await resolveTool(tool, progress);
    process.env[ENV[tool]] = resolved.path;
    progress(`${tool}: ${resolved.path} (${resolved.source})`);
  }
}
