// Supervising one real process of the local lab (target app, sink, collector): start it,
// wait until it is ready, keep its output in a log file, stop it gracefully.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { createServer } from 'node:net';

export interface ProcessSpec {
  /** Short name for messages and the log file, e.g. "app-inprocess". */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: Record<string, string>;
  /** Where stdout and stderr go; omitted: kept in memory (last 8 KiB) only. */
  readonly logFile?: string;
  /** Ready when this URL answers 2xx... */
  readonly readyUrl?: string;
  /** ...or, for a process that speaks no HTTP (Redis), when this resolves true. */
  readonly readyCheck?: () => Promise<boolean>;
  readonly readyTimeoutMs?: number;
  /** Linux CPU list for taskset, e.g. "1"; ignored where taskset is missing. */
  readonly cpus?: string;
}

export class ManagedProcess {
  readonly spec: ProcessSpec;
  private readonly child: ChildProcess;
  private readonly log?: WriteStream;
  private tail = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(spec: ProcessSpec, child: ChildProcess) {
    this.spec = spec;
    this.child = child;
    this.log = spec.logFile ? createWriteStream(spec.logFile, { flags: 'a' }) : undefined;
    // A log that cannot be written must not take the lab down; the output stays in `tail`.
    this.log?.on('error', (error) => {
      this.tail += `\n[tracelab: cannot write ${spec.logFile}: ${error.message}]\n`;
    });
    const keep = (chunk: Buffer) => {
      this.tail = (this.tail + chunk.toString()).slice(-8192);
      this.log?.write(chunk);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    // 'close' comes after the last output ('exit' may come before it): only then is the log done.
    child.on('close', () => this.log?.end());
    this.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  }

  static async start(spec: ProcessSpec): Promise<ManagedProcess> {
    const [command, args] = spec.cpus && (await hasTaskset()) ? ['taskset', ['-c', spec.cpus, spec.command, ...spec.args]] : [spec.command, [...spec.args]];
    const child = spawn(command, args as string[], { env: { ...process.env, ...spec.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const managed = new ManagedProcess(spec, child);
    await managed.waitReady();
    return managed;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The last 8 KiB the process printed. */
  get output(): string {
    return this.tail;
  }

  private async waitReady(): Promise<void> {
    const deadline = Date.now() + (this.spec.readyTimeoutMs ?? 30_000);
    let exited = false;
    void this.exited.then(() => (exited = true));
    while (Date.now() < deadline) {
      if (exited) throw new Error(`${this.spec.name} exited before it was ready:\n${this.tail}`);
      const ok = this.spec.readyCheck
        ? await this.spec.readyCheck().catch(() => false)
        : await fetch(this.spec.readyUrl ?? '', { signal: AbortSignal.timeout(1000) }).then(
            (r) => r.ok,
            () => false,
          );
      if (ok) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    this.child.kill('SIGKILL');
    throw new Error(`${this.spec.name} was not ready at ${this.spec.readyUrl ?? 'its port'} within ${this.spec.readyTimeoutMs ?? 30_000} ms:\n${this.tail}`);
  }

  /** SIGTERM, then SIGKILL after `graceMs`. Resolves with the exit code. */
  async stop(graceMs = 30_000): Promise<number | null> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.child.exitCode;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    const { code } = await this.exited;
    clearTimeout(timer);
    return code;
  }

  /** Kills without a chance to flush (fault runs: a crashed collector). */
  kill(): void {
    this.child.kill('SIGKILL');
  }

  /** Sends SIGTERM and returns at once (fault runs: an app restarted under load). */
  terminate(): void {
    this.child.kill('SIGTERM');
  }

  /** A new process from the same spec — same command, env, ports, config — once this one has exited; `env` is added. */
  async respawn(env: Record<string, string> = {}): Promise<ManagedProcess> {
    await this.exited;
    return ManagedProcess.start({ ...this.spec, env: { ...this.spec.env, ...env } });
  }
}

let tasksetAvailable: Promise<boolean> | undefined;
export function hasTaskset(): Promise<boolean> {
  tasksetAvailable ??= new Promise((resolve) => {
    const probe = spawn('taskset', ['-c', '0', 'true'], { stdio: 'ignore' });
    probe.on('error', () => resolve(false));
    probe.on('exit', (code) => resolve(code === 0));
  });
  return tasksetAvailable;
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Pins every thread of a running process to a CPU list (taskset -a -p); false where it cannot. */
export function pinProcess(pid: number, cpus: string): boolean {
  try {
    execFileSync('taskset', ['-a', '-cp', cpus, String(pid)], { stdio: 'ignore', timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}
