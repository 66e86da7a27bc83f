// Finds or builds the external binaries a run needs, in this order:
//   1. an explicit path in env (TRACELAB_K6, TRACELAB_OTELCOL)
//   2. PATH (k6; otelcol-tracelab or otelcol-contrib)
//   3. the project cache, .tools/bin/<name>-<version> (gitignored)
//   4. a build with Go from the module proxy (k6: go install; collector: the builder)
//   5. the official release archive, for machines with the internet but no Go
// The cached name carries the version, so bumping versions.ts rebuilds.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { builderManifest, COLLECTOR_BINARY_NAME } from './collector-manifest.ts';
import { runBuildStep, type Progress } from './build-step.ts';
import { COLLECTOR, K6, releaseUrl } from './versions.ts';

export const TOOLS_DIR = new URL('../../.tools/', import.meta.url).pathname;

export type ToolName = 'k6' | 'otelcol';

interface ToolInfo {
  readonly envVar: string;
  readonly pathNames: readonly string[];
  readonly cacheName: string;
  readonly version: string;
}

const TOOLS: Record<ToolName, ToolInfo> = {
  k6: { envVar: 'TRACELAB_K6', pathNames: ['k6'], cacheName: `k6-${K6.version}`, version: K6.version },
  otelcol: {
    envVar: 'TRACELAB_OTELCOL',
    pathNames: [COLLECTOR_BINARY_NAME, 'otelcol-contrib'],
    cacheName: `${COLLECTOR_BINARY_NAME}-${COLLECTOR.version}`,
    version: COLLECTOR.version,
  },
};

export interface ResolvedTool {
  readonly path: string;
  readonly source: 'env' | 'PATH' | 'cache' | 'go build' | 'download';
}

export type { Progress } from './build-step.ts';

export async function resolveTool(name: ToolName, progress: Progress = () => {}): Promise<ResolvedTool> {
  const info = TOOLS[name];
  const fromEnv = process.env[info.envVar];
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`${info.envVar}=${fromEnv} does not exist; unset it or point it at the ${name} binary`);
    return { path: fromEnv, source: 'env' };
  }
  for (const candidate of info.pathNames) {
    const found = onPath(candidate);
    if (found) return { path: found, source: 'PATH' };
  }
  const cached = join(TOOLS_DIR, 'bin', info.cacheName);
  if (existsSync(cached)) return { path: cached, source: 'cache' };
  mkdirSync(join(TOOLS_DIR, 'bin'), { recursive: true });

  if (onPath('go')) {
    progress(`${name} ${info.version}: not found; building it with Go into .tools/ (first run only, a few minutes)`);
    if (name === 'k6') await buildK6(cached, progress);
    else await buildCollector(cached, progress);
    return { path: cached, source: 'go build' };
  }
  progress(`${name} ${info.version}: not found and no Go on PATH; downloading the release archive`);
  await download(name, cached, progress);
  return { path: cached, source: 'download' };
}

export function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const file = join(dir, command);
    if (dir && existsSync(file)) return file;
  }
  return undefined;
}

async function buildK6(target: string, progress: Progress): Promise<void> {
  const gobin = join(TOOLS_DIR, 'gobin');
  await runBuildStep('go', ['install', `${K6.goModule}@${K6.version}`], { env: { GOBIN: gobin }, cwd: TOOLS_DIR }, progress, 'k6');
  renameSync(join(gobin, 'k6'), target);
}

async function buildCollector(target: string, progress: Progress): Promise<void> {
  const gobin = join(TOOLS_DIR, 'gobin');
  const builder = join(gobin, 'builder');
  if (!existsSync(builder)) {
    await runBuildStep(
      'go',
      ['install', `${COLLECTOR.builderModule}@v${COLLECTOR.version}`],
      { env: { GOBIN: gobin }, cwd: TOOLS_DIR },
      progress,
      'collector builder',
    );
  }
  const workdir = join(TOOLS_DIR, 'otelcol-build');
  rmSync(workdir, { recursive: true, force: true });
  mkdirSync(workdir, { recursive: true });
  const manifest = join(workdir, 'builder.yaml');
  writeFileSync(manifest, builderManifest(workdir));
  await runBuildStep(builder, [`--config=${manifest}`], { env: {}, cwd: TOOLS_DIR }, progress, 'collector');
  renameSync(join(workdir, COLLECTOR_BINARY_NAME), target);
}

async function download(name: ToolName, target: string, progress: Progress): Promise<void> {
  const os = process.platform === 'darwin' ? 'darwin' : 'linux';
  const arch = process.arch === 'arm64' ? 'arm64' : 'amd64';
  const url = releaseUrl(name, os, arch);
  const response = await fetch(url).catch((error: Error) => {
    throw new Error(`cannot download ${url}: ${error.message}. Install Go (>= 1.26) to build ${name} instead, or set ${TOOLS[name].envVar}`);
  });
  if (!response.ok) throw new Error(`download of ${url} answered ${response.status}; set ${TOOLS[name].envVar} to a ${name} binary`);
  const dir = join(TOOLS_DIR, `download-${name}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const archive = join(dir, url.endsWith('.zip') ? 'archive.zip' : 'archive.tar.gz');
  writeFileSync(archive, Buffer.from(await response.arrayBuffer()));
  progress(`${name}: unpacking ${url.split('/').pop()}`);
  const unpack = archive.endsWith('.zip')
    ? spawnSync('unzip', ['-q', '-j', archive, '-d', dir])
    : spawnSync('tar', ['-xzf', archive, '-C', dir, '--strip-components=0']);
  if (unpack.status !== 0) throw new Error(`cannot unpack ${archive}: ${unpack.stderr}`);
  const found = spawnSync('find', [dir, '-type', 'f', '-name', name === 'k6' ? 'k6' : 'otelcol-contrib'])
    .stdout.toString()
    .trim()
    .split('\n')[0];
  if (!found) throw new Error(`${url} did not contain the ${name} binary`);
  renameSync(found, target);
  chmodSync(target, 0o755);
}
