// Processes that outlive the command that started them (`tracelab langfuse up` returns while
// Langfuse keeps running; `down` stops it later). Each runs detached in its own process
// group with output in a log file; its record (pid + kernel start time) lets `down` stop
// exactly that process and never a later one that reused the pid.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';

export interface DaemonRecord {
  readonly name: string;
  readonly pid: number;
  /** Field 22 of /proc/<pid>/stat: clock ticks since boot when it started. */
  readonly startTicks: string;
  readonly logFile: string;
  /** How it wants to be asked to stop (Postgres: SIGINT, a fast shutdown that ends sessions). */
  readonly stopSignal?: NodeJS.Signals;
}

export interface DaemonSpec {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Record<string, string>;
  readonly logFile: string;
  readonly cwd?: string;
  readonly stopSignal?: NodeJS.Signals;
  /** Linux CPU list for taskset (it execs, so the pid stays the daemon's). */
  readonly cpus?: string;
}

export function startDaemon(spec: DaemonSpec): DaemonRecord {
  const out = openSync(spec.logFile, 'a');
  const [command, args] = spec.cpus ? ['taskset', ['-c', spec.cpus, spec.command, ...spec.args]] : [spec.command, [...spec.args]];
  const child = spawn(command, args, {
    cwd: spec.cwd,
    env: spec.env,
    stdio: ['ignore', out, out],
    detached: true,
  });
  closeSync(out);
  child.unref();
  if (!child.pid) throw new Error(`cannot start ${spec.name} (${spec.command})`);
  return { name: spec.name, pid: child.pid, startTicks: startTicks(child.pid) ?? '', logFile: spec.logFile, stopSignal: spec.stopSignal };
}

function startTicks(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; fields after its closing parenthesis are fixed.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Still the process we started (same pid, same start time, not a zombie)? */
export function isAlive(record: DaemonRecord): boolean {
  if (!existsSync(`/proc/${record.pid}`)) return false;
  const stat = readFileSync(`/proc/${record.pid}/stat`, 'utf8');
  const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  return state !== 'Z' && startTicks(record.pid) === record.startTicks;
}

/** Its stop signal (SIGTERM) to its process group, SIGKILL after `graceMs`; resolves once it is gone. */
export async function stopDaemon(record: DaemonRecord, graceMs: number): Promise<'stopped' | 'killed' | 'not running'> {
  if (!isAlive(record)) return 'not running';
  signal(record, record.stopSignal ?? 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(record)) return 'stopped';
    await new Promise((r) => setTimeout(r, 200));
  }
  signal(record, 'SIGKILL');
  for (let i = 0; i < 50 && isAlive(record); i++) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(record)) throw new Error(`${record.name} (pid ${record.pid}) survived SIGKILL`);
  return 'killed';
}

function signal(record: DaemonRecord, sig: NodeJS.Signals): void {
  try {
    process.kill(-record.pid, sig);
  } catch {
    try {
      process.kill(record.pid, sig);
    } catch {
      // already gone
    }
  }
}

/** The last `lines` lines of a log, for error messages. */
export function logTail(file: string, lines = 30): string {
  if (!existsSync(file)) return '';
  return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}
