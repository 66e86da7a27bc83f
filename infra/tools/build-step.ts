// One long build step (go build, go install, the collector builder) as a child process that
// reports its elapsed time every 15 s, so a cold first build never looks hung, and keeps the
// tail of its output for the error message when it fails.
import { spawn } from 'node:child_process';

export type Progress = (line: string) => void;

export interface BuildStepOptions {
  readonly env?: Record<string, string>;
  readonly cwd: string;
  /** Runs the step with `nice -n 10`: builds share the machine with whatever runs beside them. */
  readonly nice?: boolean;
}

export function runBuildStep(command: string, args: readonly string[], options: BuildStepOptions, progress: Progress, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const [file, argv] = options.nice ? ['nice', ['-n', '10', command, ...args]] : [command, [...args]];
    const child = spawn(file, argv, { env: { ...process.env, ...options.env }, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let tail = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      tail = (tail + chunk.toString()).slice(-4000);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-4000);
    });
    const timer = setInterval(() => progress(`  building ${what}... ${Math.round((Date.now() - started) / 1000)}s`), 15_000);
    child.on('error', (error) => {
      clearInterval(timer);
      reject(new Error(`cannot run ${command}: ${error.message}`));
    });
    child.on('close', (code) => {
      clearInterval(timer);
      if (code === 0) {
        progress(`  ${what}: done in ${Math.round((Date.now() - started) / 1000)}s`);
        resolve(stdout);
      } else reject(new Error(`${what} failed (exit ${code}):\n${tail}`));
    });
  });
}
