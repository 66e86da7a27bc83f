// Building Langfuse web + worker from the release source, once per version per user:
// unpack → patch → pnpm install → turbo build → standalone web tree. Each finished step leaves
// a marker, so an interrupted build resumes where it stopped; build.json is written last and
// is what "the build is there" means.
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Progress } from '../tools/resolve.ts';
import { patchSource, prismaStubEnv } from './patch.ts';
import { runStep } from './run.ts';
import { buildDir, cacheRoot, type LangfuseSource, releaseArchive } from './source.ts';

export interface LangfuseBuild {
  readonly version: string;
  /** The built source tree (worker runs from here). */
  readonly src: string;
  /** Folder of web's standalone server.js. */
  readonly webDir: string;
  readonly workerEntry: string;
  readonly builtAt: string;
  readonly seconds: Record<string, number>;
}

const MINUTE = 60_000;

/** The finished build of `source`, or undefined. */
export function findBuild(source: LangfuseSource, env: NodeJS.ProcessEnv = process.env): LangfuseBuild | undefined {
  const marker = join(buildDir(source, env), 'build.json');
  if (!existsSync(marker)) return undefined;
  const build = JSON.parse(readFileSync(marker, 'utf8')) as LangfuseBuild;
  return existsSync(build.workerEntry) ? build : undefined;
}

export async function buildLangfuse(source: LangfuseSource, progress: Progress, env: NodeJS.ProcessEnv = process.env): Promise<LangfuseBuild> {
  const done = findBuild(source, env);
  if (done) return done;
  const dir = buildDir(source, env);
  const src = join(dir, 'src');
  const logs = join(dir, 'logs');
  mkdirSync(logs, { recursive: true });
  const seconds: Record<string, number> = {};
  const step = async (name: string, what: string, action: () => Promise<void> | void) => {
    const marker = join(dir, `.step-${name}`);
    if (existsSync(marker)) return;
    progress(`Langfuse ${source.version}: ${what}`);
    const started = Date.now();
    await action();
    seconds[name] = Math.round((Date.now() - started) / 1000);
    progress(`Langfuse ${source.version}: ${what} done in ${seconds[name]}s`);
    writeFileSync(marker, `${new Date().toISOString()}\n`);
  };
  const node = await nodeFor(progress, env);
  const pnpm = await pnpmFor(source, node, progress, env);
  const toolEnv = {
    PATH: `${dirname(node)}:${dirname(pnpm)}:${process.env.PATH ?? ''}`,
    ...prismaStubEnv(mkdirp(join(dir, 'prisma-stubs'))),
    // pnpm 11 re-checks installs before every `pnpm run` and races itself under turbo.
    pnpm_config_verify_deps_before_run: 'false',
    CI: 'true',
    NEXT_TELEMETRY_DISABLED: '1',
    TURBO_TELEMETRY_DISABLED: '1',
    DO_NOT_TRACK: '1',
  };
  const opts = (logName: string, timeoutMs: number) => ({ cwd: src, env: toolEnv, logFile: join(logs, logName), timeoutMs, progress });

  await step('unpack', 'unpacking the release source', async () => {
    const archive = await releaseArchive(source, progress, env);
    const tmp = join(dir, 'unpack');
    rmSync(tmp, { recursive: true, force: true });
    rmSync(src, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    await runStep('unpack', 'tar', ['-xzf', archive, '-C', tmp], { ...opts('unpack.log', 10 * MINUTE), cwd: dir });
    const [top] = readdirSync(tmp);
    const pkg = JSON.parse(readFileSync(join(tmp, top, 'package.json'), 'utf8')) as { version: string };
    if (pkg.version !== source.version) throw new Error(`the archive unpacked Langfuse ${pkg.version}, expected ${source.version}`);
    renameSync(join(tmp, top), src);
    rmSync(tmp, { recursive: true, force: true });
  });
  await step('patch', 'patching Prisma to its Rust-free client', () => patchSource(src));
  await step('install', 'installing dependencies (pnpm; 3-5 min with a cold store)', async () => {
    const store = join(cacheRoot(env), 'pnpm-store');
    await runStep('pnpm install', pnpm, ['install', '--no-frozen-lockfile', '--store-dir', store, '--reporter=append-only'], opts('install.log', 30 * MINUTE));
  });
  await step('build', 'building web and worker (turbo; 4-12 min, up to 8.5 GB RAM)', async () => {
    const turbo = join(src, 'node_modules/.bin/turbo');
    await runStep('turbo build', turbo, ['run', 'build', '--filter=web...', '--filter=worker...', '--concurrency=1'], {
      ...opts('build.log', 60 * MINUTE),
      env: {
        ...toolEnv,
        DOCKER_BUILD: '1',
        NEXT_MANUAL_SIG_HANDLE: 'true',
        // Type errors are the release's CI's business; the build needs only the output.
        NEXT_IGNORE_BUILD_ERRORS: 'true',
        NODE_OPTIONS: '--max-old-space-size=12288',
      },
    });
  });
  const webDir = join(src, 'web/.next/standalone/web');
  await step('assemble', 'assembling the standalone web server', () => {
    cpSync(join(src, 'web/.next/static'), join(webDir, '.next/static'), { recursive: true });
    cpSync(join(src, 'web/public'), join(webDir, 'public'), { recursive: true });
  });
  const build: LangfuseBuild = {
    version: source.version,
    src,
    webDir,
    workerEntry: join(src, 'worker/dist/index.js'),
    builtAt: new Date().toISOString(),
    seconds,
  };
  for (const path of [join(webDir, 'server.js'), build.workerEntry]) {
    if (!existsSync(path)) throw new Error(`the build finished without ${path}; see ${logs}/build.log`);
  }
  writeFileSync(join(dir, 'build.json'), `${JSON.stringify(build, null, 2)}\n`);
  return build;
}

function mkdirp(path: string): string {
  mkdirSync(path, { recursive: true });
  return path;
}

/** Langfuse pins Node 24: this Node when it is 24, else Node 24 from the npm package node@24. */
export async function nodeFor(progress: Progress, env: NodeJS.ProcessEnv): Promise<string> {
  if (process.versions.node.split('.')[0] === '24') return process.execPath;
  const prefix = join(cacheRoot(env), 'tools', 'node-24');
  const binary = join(prefix, 'node_modules/node/bin/node');
  if (!existsSync(binary)) {
    mkdirSync(prefix, { recursive: true });
    await runStep('npm install node@24', 'npm', ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', 'node@24'], {
      cwd: prefix,
      logFile: join(prefix, 'install.log'),
      timeoutMs: 10 * MINUTE,
      progress,
    });
  }
  return binary;
}

/** pnpm at the release's pinned version, from the npm registry. */
async function pnpmFor(source: LangfuseSource, node: string, progress: Progress, env: NodeJS.ProcessEnv): Promise<string> {
  const prefix = join(cacheRoot(env), 'tools', `pnpm-${source.pnpm}`);
  const binary = join(prefix, 'node_modules/.bin/pnpm');
  if (!existsSync(binary)) {
    mkdirSync(prefix, { recursive: true });
    await runStep(`npm install pnpm@${source.pnpm}`, 'npm', ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', `pnpm@${source.pnpm}`], {
      cwd: prefix,
      env: { PATH: `${dirname(node)}:${process.env.PATH ?? ''}` },
      logFile: join(prefix, 'install.log'),
      timeoutMs: 10 * MINUTE,
      progress,
    });
  }
  return binary;
}
