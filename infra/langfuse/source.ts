// Where the local Langfuse's source and build live, and how the source archive is found.
// Heavy outputs (~9 GiB per version) are cached per user, keyed by version, so every clone
// and worktree on the machine reuses one build:
//   ${TRACELAB_CACHE:-${XDG_CACHE_HOME:-~/.cache}/tracelab}/langfuse-<version>/
// The release archive comes from, in order: TRACELAB_LANGFUSE_SRC (a folder holding
// langfuse-v<version>.tar.gz; relative paths are taken from the repository root), the
// archive cached earlier, ../shared/vendor/langfuse beside the clone (where these work
// machines keep the archives), or the tag archive from GitHub.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import type { LangfuseMajor } from '../../contracts/spec/langfuse-versions.ts';
import type { Progress } from '../tools/resolve.ts';
import { LANGFUSE_SOURCES } from '../tools/versions.ts';

export const REPO_ROOT = new URL('../../', import.meta.url).pathname;

export interface LangfuseSource {
  readonly major: LangfuseMajor;
  readonly version: string;
  readonly pnpm: string;
  readonly sha256: string;
}

export const langfuseSource = (major: LangfuseMajor): LangfuseSource => ({ major, ...LANGFUSE_SOURCES[major] });

export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TRACELAB_CACHE) return resolve(env.TRACELAB_CACHE);
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'tracelab');
}

/** The folder of one version's build: src/ (the built tree), logs/, build.json when complete. */
export const buildDir = (source: LangfuseSource, env: NodeJS.ProcessEnv = process.env) => join(cacheRoot(env), `langfuse-${source.version}`);

const archiveName = (version: string) => `langfuse-v${version}.tar.gz`;

/** The path of a verified release archive, fetching it if needed. */
export async function releaseArchive(source: LangfuseSource, progress: Progress, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const name = archiveName(source.version);
  if (env.TRACELAB_LANGFUSE_SRC) {
    const dir = isAbsolute(env.TRACELAB_LANGFUSE_SRC) ? env.TRACELAB_LANGFUSE_SRC : resolve(REPO_ROOT, env.TRACELAB_LANGFUSE_SRC);
    const file = join(dir, name);
    if (!existsSync(file))
      throw new Error(
        `TRACELAB_LANGFUSE_SRC=${env.TRACELAB_LANGFUSE_SRC} (${dir}) has no ${name}; put the release archive there or unset it to download from GitHub`,
      );
    verify(file, source);
    return file;
  }
  const cached = join(cacheRoot(env), 'sources', name);
  if (existsSync(cached)) return cached;
  const beside = resolve(REPO_ROOT, '../shared/vendor/langfuse', name);
  if (existsSync(beside)) {
    verify(beside, source);
    return beside;
  }
  const url = `https://github.com/langfuse/langfuse/archive/refs/tags/v${source.version}.tar.gz`;
  progress(`Langfuse ${source.version}: downloading ${url}`);
  const response = await fetch(url, { signal: AbortSignal.timeout(300_000) }).catch((error: Error) => {
    throw new Error(`cannot download ${url}: ${error.message}. Set TRACELAB_LANGFUSE_SRC to a folder holding ${name}`);
  });
  if (!response.ok) throw new Error(`${url} answered ${response.status}. Set TRACELAB_LANGFUSE_SRC to a folder holding ${name}`);
  mkdirSync(join(cacheRoot(env), 'sources'), { recursive: true });
  // GitHub's tag archive holds the same tree as the vendored `git archive` but not the same
  // bytes, so it cannot be checked against the pinned checksum; unpacking checks the version.
  writeFileSync(`${cached}.part`, Buffer.from(await response.arrayBuffer()));
  renameSync(`${cached}.part`, cached);
  return cached;
}

function verify(file: string, source: LangfuseSource): void {
  const actual = createHash('sha256').update(readFileSync(file)).digest('hex');
  if (actual !== source.sha256) {
    throw new Error(
      `${file} has sha256 ${actual}, not the pinned ${source.sha256} of Langfuse v${source.version} (infra/tools/versions.ts); is it the right release?`,
    );
  }
}
