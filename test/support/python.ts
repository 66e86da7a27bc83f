// The Python target's venvs for tests: created once by the global setup (tools-setup.ts).
// A test that needs one fails with the reason it could not be created, never skips.
import { spawnSync } from 'node:child_process';
import { PYTHON_APP_SRC } from '../../infra/tools/python.ts';

export const SDK_LINES = [3, 5] as const;
export type PythonLine = (typeof SDK_LINES)[number];

export function venvPython(line: PythonLine): string {
  const path = process.env[`TRACELAB_PYTHON_SDK${line}`];
  if (!path)
    throw new Error(process.env[`TRACELAB_PYTHON_SDK${line}_ERROR`] ?? `the venv of Python SDK line ${line} was not set up; run the tests through vitest`);
  return path;
}

/** Runs Python code with the app's package importable; returns stdout (throws with stderr on failure). */
export function runPython(line: PythonLine, code: string, input?: string): string {
  const result = spawnSync(venvPython(line), ['-c', code], { encoding: 'utf8', input, env: { ...process.env, PYTHONPATH: PYTHON_APP_SRC } });
  if (result.status !== 0) throw new Error(`python exited ${result.status}:\n${result.stderr}`);
  return result.stdout;
}
