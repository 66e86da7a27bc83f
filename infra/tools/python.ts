// The Python target's virtualenvs: one per Langfuse SDK line, created from that line's hashed
// lock file (apps/target-python/requirements/sdk<line>.txt) by `pip install --require-hashes`,
// under .tools/python/sdk<line>-<lock hash>/. The name carries the lock's hash, so editing a
// lock builds a new venv; nothing is installed outside it. Needs CPython 3.11 (the locks are
// compiled for it): TRACELAB_PYTHON, else python3.11, else python3 when it is 3.11.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { SdkVersion } from '../../contracts/spec/runtimes.ts';
import { type Progress, TOOLS_DIR } from './resolve.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
export const PYTHON_APP_DIR = join(ROOT, 'apps/target-python');
/** What the Python app's process needs on PYTHONPATH (it runs as `python -m tracelab_target`). */
export const PYTHON_APP_SRC = join(PYTHON_APP_DIR, 'src');
export const PYTHON_VERSION = '3.11';
const READY = '.tracelab-ready';
const STALE_LOCK_MS = 15 * 60_000;

export const lockFile = (line: SdkVersion) => join(PYTHON_APP_DIR, 'requirements', `sdk${line}.txt`);

export interface PythonVenv {
  /** The venv's interpreter. */
  readonly python: string;
  readonly dir: string;
  readonly source: 'cache' | 'created';
}

/** The venv of an SDK line, creating it on first use (a minute or so from PyPI). */
export async function resolvePythonVenv(line: SdkVersion, progress: Progress = () => {}): Promise<PythonVenv> {
  const lock = lockFile(line);
  if (!existsSync(lock)) throw new Error(`no lock file for Python SDK line ${line} (${lock})`);
  const hash = createHash('sha256').update(readFileSync(lock)).digest('hex').slice(0, 12);
  const dir = join(TOOLS_DIR, 'python', `sdk${line}-${hash}`);
  const python = join(dir, 'bin', 'python');
  if (existsSync(join(dir, READY))) return { python, dir, source: 'cache' };

  // Another process (a parallel test file, another session) may be creating it: a lock dir.
  const lockDir = `${dir}.lock`;
  mkdirSync(join(TOOLS_DIR, 'python'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lockDir);
      break;
    } catch {
      if (existsSync(join(dir, READY))) return { python, dir, source: 'cache' };
      const since = statSync(lockDir, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
      if (Date.now() - since > STALE_LOCK_MS) rmSync(lockDir, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    if (existsSync(join(dir, READY))) return { python, dir, source: 'cache' };
    const base = basePython();
    const started = Date.now();
    progress(`python SDK line ${line}: creating ${dir} from ${lock} with ${base} (first run only)`);
    rmSync(dir, { recursive: true, force: true });
    await run(base, ['-m', 'venv', dir], progress, 'venv');
    await run(
      python,
      ['-m', 'pip', 'install', '--no-input', '--disable-pip-version-check', '--require-hashes', '--no-deps', '-r', lock],
      progress,
      `pip install (line ${line})`,
    );
    await run(python, ['-m', 'pip', 'check', '--disable-pip-version-check'], progress, 'pip check');
    writeFileSync(join(dir, READY), `${JSON.stringify({ lock, hash, base, seconds: Math.round((Date.now() - started) / 1000) })}\n`);
    progress(`python SDK line ${line}: ready in ${Math.round((Date.now() - started) / 1000)}s`);
    return { python, dir, source: 'created' };
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

/** A CPython 3.11 to create venvs from. */
export function basePython(): string {
  const fromEnv = process.env.TRACELAB_PYTHON;
  const candidates = fromEnv ? [fromEnv] : ['python3.11', 'python3'];
  const tried: string[] = [];
  for (const candidate of candidates) {
    const path = candidate.includes('/') ? candidate : onPath(candidate);
    if (!path) continue;
    const probe = spawnSync(path, ['-c', 'import sys, venv; print("%d.%d" % sys.version_info[:2])'], { encoding: 'utf8' });
    const version = probe.stdout?.trim();
    if (probe.status === 0 && version === PYTHON_VERSION) return path;
    tried.push(`${path} (${probe.status === 0 ? `Python ${version}` : 'no venv module'})`);
  }
  throw new Error(
    `the Python target needs CPython ${PYTHON_VERSION} with the venv module (its lock files are compiled for it); tried ${tried.join(', ') || candidates.join(', ')}. Install python${PYTHON_VERSION} or set TRACELAB_PYTHON to one.`,
  );
}

function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const file = join(dir, command);
    if (dir && existsSync(file)) return file;
  }
  return undefined;
}

function run(command: string, args: string[], progress: Progress, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const keep = (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setInterval(() => progress(`  ${what}... ${Math.round((Date.now() - started) / 1000)}s`), 15_000);
    child.on('error', (error) => {
      clearInterval(timer);
      reject(new Error(`cannot run ${command}: ${error.message}`));
    });
    child.on('close', (code) => {
      clearInterval(timer);
      if (code === 0) resolve();
      else reject(new Error(`${what} failed (exit ${code}):\n${tail}`));
    });
  });
}
