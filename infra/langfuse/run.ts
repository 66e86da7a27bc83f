// Running one long step of the local Langfuse's set-up (install, build, migrate): output to a
// log file, elapsed time reported every 15 s so a cold build never looks hung, and a hard
// time limit so nothing waits forever.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import type { Progress } from '../tools/resolve.ts';

export interface StepOptions {
  readonly cwd: string;
  readonly env?: Record<string, string>;
  /** Full output goes here; errors quote its last lines. */
  readonly logFile: string;
  readonly timeoutMs: number;
  readonly progress: Progress;
  /** Feeds stdin (psql scripts); omitted: no stdin. */
  readonly input?: string;
}

export class StepError extends Error {}

/** Runs `command args`, resolving with its stdout; rejects naming the step, the exit and the log tail. */
export function runStep(what: string, command: string, args: readonly string[], options: StepOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const log = createWriteStream(options.logFile, { flags: 'a' });
    log.write(`\n# ${new Date().toISOString()} ${what}: ${command} ${args.join(' ')}\n`);
    const child = spawn(command, args as string[], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      // Its own process group, so a time-out ends the whole tree (turbo, next, tsc).
      detached: true,
    });
    let stdout = '';
    let tail = '';
    const keep = (chunk: Buffer, isStdout: boolean) => {
      const text = chunk.toString();
      if (isStdout) stdout += text;
      tail = (tail + text).slice(-3000);
      log.write(chunk);
    };
    child.stdout?.on('data', (c: Buffer) => keep(c, true));
    child.stderr?.on('data', (c: Buffer) => keep(c, false));
    if (options.input !== undefined) child.stdin?.end(options.input);
    const seconds = () => Math.round((Date.now() - started) / 1000);
    const ticker = setInterval(() => options.progress(`  ${what}... ${seconds()}s`), 15_000);
    let timedOut = false;
    const killer = setTimeout(() => {
      timedOut = true;
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    }, options.timeoutMs);
    const finish = (error?: Error) => {
      clearInterval(ticker);
      clearTimeout(killer);
      log.end();
      if (error) reject(error);
      else resolve(stdout);
    };
    child.on('error', (error) => finish(new StepError(`${what}: cannot run ${command}: ${error.message}`)));
    child.on('close', (code) => {
      if (code === 0 && !timedOut) return finish();
      const why = timedOut ? `did not finish within ${Math.round(options.timeoutMs / 1000)} s` : `failed (exit ${code})`;
      finish(new StepError(`${what} ${why}; full log: ${options.logFile}\n${tail}`));
    });
  });
}
