// Making the directory a command writes to, one level at a time. Node's own
// mkdir({ recursive: true }) never returns for a path under /proc (procfs answers ENOENT
// for the new directory, the parent "already exists", and it retries forever at 100% CPU),
// so a mistyped --out hung `tracelab synth`. Here every failure is one sentence at once.
import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from './command.ts';

const reason = (code: string | undefined) =>
  code === 'EACCES' || code === 'EPERM'
    ? 'permission denied'
    : code === 'EROFS'
      ? 'the file system is read-only'
      : code === 'ENOENT'
        ? 'its parent does not accept new directories'
        : code === 'ENOSPC'
          ? 'no space left on the device'
          : undefined;

/** Makes `path` (and missing parents) a directory, or throws a UsageError naming `flag`, the path and why. */
export function makeOutputDirectory(path: string, flag: string): void {
  const missing: string[] = [];
  let at = resolve(path);
  for (;;) {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(at).isDirectory();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw new UsageError(`${flag} ${path}: cannot use ${at}: ${reason(code) ?? (error as Error).message}`);
      missing.unshift(at);
      at = dirname(at);
      continue;
    }
    if (!isDirectory) throw new UsageError(`${flag} ${path}: ${at} is a file, not a directory; choose another ${flag}`);
    break;
  }
  for (const dir of missing) {
    try {
      mkdirSync(dir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new UsageError(`${flag} ${path}: cannot create ${dir}: ${reason(code) ?? (error as Error).message}; choose another ${flag}`);
    }
  }
}
