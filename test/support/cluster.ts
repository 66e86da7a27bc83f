// Helpers for tests against the real control plane that test/support/control-plane-setup.ts
// starts: an admin client, kubectl, the tracelab CLI as a user runs it, fresh namespaces.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { Kube, loadKubeConfig } from '../../infra/cluster/kube.ts';

const root = new URL('../..', import.meta.url).pathname;

export const kubeconfig = () => inject('kubeconfig');
export const adminKube = () => new Kube(loadKubeConfig({ kubeconfig: kubeconfig() }));

export interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command without blocking the test's event loop; killed after timeoutMs. */
export function run(
  command: string,
  args: readonly string[],
  options: { input?: string; timeoutMs?: number; env?: Record<string, string> } = {},
): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c;
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

export const kubectl = (args: readonly string[], input?: string) =>
  run(inject('kubectl'), [`--kubeconfig=${kubeconfig()}`, ...args], { input, timeoutMs: 60_000 });

/** `tracelab <args>` against the test cluster (never kind: there is no container engine here). */
export const tracelab = (args: readonly string[], timeoutMs = 150_000) =>
  run(process.execPath, [join(root, 'scripts/tracelab.ts'), ...args, '--kubeconfig', kubeconfig()], { timeoutMs });

export function uniqueName(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 7)}`;
}

/** A spec file in a temp dir. */
export function specFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'tracelab-spec-')), 'tracelab.yaml');
  writeFileSync(file, text);
  return file;
}

/** A small stack: two topologies keep each test quick; `extra` is YAML under spec (2 spaces). */
export function stackSpec(name: string, namespace: string, extra = ''): string {
  return `apiVersion: tracelab.dev/v1alpha1
kind: TraceLab
metadata:
  name: ${name}
spec:
  namespace: ${namespace}
${extra || '  topologies: [{ topology: baseline }, { topology: sidecar }]'}
`;
}

export async function until<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined | false>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs / 1000}s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Deletes a namespace and waits until it is gone, so the next stack gets its NodePorts and hostPorts. */
export async function removeNamespace(namespace: string): Promise<void> {
  const kube = adminKube();
  // No reconciler runs here to honour a TraceLab's finalizer; the namespace would wait forever.
  for (const tracelab of await kube.list('tracelab.dev/v1alpha1', 'TraceLab', namespace).catch(() => [])) {
    await kube.mergePatch('tracelab.dev/v1alpha1', 'TraceLab', namespace, tracelab.metadata.name, { metadata: { finalizers: null } }).catch(() => undefined);
  }
  await kube.delete('v1', 'Namespace', undefined, namespace);
  await until(`namespace ${namespace} deleted`, 90_000, async () => !(await kube.get('v1', 'Namespace', undefined, namespace)));
}
