// Paths of real binaries for tests: k6, the collector and helm are resolved once by
// tools-setup (global setup) — from env, PATH, the .tools/bin cache or a Go build.
const ENV = { k6: 'TRACELAB_K6', otelcol: 'TRACELAB_OTELCOL', helm: 'TRACELAB_HELM' } as const;

export function toolPath(tool: keyof typeof ENV): string {
  const path = process.env[ENV[tool]];
  if (!path) throw new Error(`${tool} was not resolved; run the tests through vitest (globalSetup resolves it)`);
  return path;
}

export const helmPath = (): string => toolPath('helm');
