// The CLI as a user runs it: a real Node process, real files, exit codes and messages.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EKS_STAGING, minimal } from './support/specs.ts';

const root = new URL('..', import.meta.url).pathname;
const tracelab = (...args: string[]) => spawnSync(process.execPath, [join(root, 'scripts/tracelab.ts'), ...args], { cwd: root, encoding: 'utf8' });
const tmp = () => mkdtempSync(join(tmpdir(), 'tracelab-cli-'));

describe('tracelab CLI', () => {
  it('--help on the CLI and on every command', () => {
    expect(tracelab('--help').stdout).toMatch(/Commands:[\s\S]*validate[\s\S]*schema[\s\S]*synth[\s\S]*up[\s\S]*status[\s\S]*diff[\s\S]*down[\s\S]*operator/);
    for (const command of ['validate', 'schema', 'synth', 'up', 'status', 'diff', 'down', 'operator']) {
      const result = tracelab(command, '--help');
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^Usage: tracelab ${command}`));
    }
  });

  it('an unknown command or flag exits 2 with usage', () => {
    expect(tracelab('deploy').status).toBe(2);
    const result = tracelab('synth', '--outdir', 'x');
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/Unknown option '--outdir'[\s\S]*Usage: tracelab synth/);
  });

  it('validate: exit 0 on the default spec, exit 1 with every problem on a bad one', () => {
    expect(tracelab('validate').status).toBe(0);
    const file = join(tmp(), 'bad.yaml');
    writeFileSync(file, minimal('  profile: minikube\n  load: { rate: 0 }'));
    const result = tracelab('validate', '--spec', file);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/bad\.yaml:6: spec\.profile: must be one of "kind" \| "eks"/);
    expect(result.stderr).toMatch(/bad\.yaml:7: spec\.load\.rate: Too small/);
  });

  it('synth writes one file per chart, the CRD and the Secrets list, byte-identical on a second run, for kind and eks', () => {
    const eks = join(tmp(), 'eks.yaml');
    writeFileSync(eks, EKS_STAGING);
    for (const spec of ['tracelab.yaml', eks]) {
      const a = join(tmp(), 'dist');
      const b = join(tmp(), 'dist');
      expect(tracelab('synth', '--spec', spec, '--out', a).status).toBe(0);
      expect(tracelab('synth', '--spec', spec, '--out', b).status).toBe(0);
      const files = readdirSync(a, { recursive: true, encoding: 'utf8' })
        .filter((f) => /\.(yaml|md)$/.test(f))
        .sort();
      // Only the stack is YAML at the top: `kubectl apply -f <out>` applies nothing else.
      expect(files).toEqual([
        '00-namespace.yaml',
        '10-langfuse.yaml',
        '20-collector.yaml',
        '30-topologies.yaml',
        '40-loadtest.yaml',
        'crd/tracelabs.tracelab.dev.yaml',
        'required-secrets.md',
      ]);
      for (const f of files) expect(readFileSync(join(b, f), 'utf8')).toBe(readFileSync(join(a, f), 'utf8'));
    }
  });

  it('synth --operator adds the operator: namespace, ServiceAccount, RBAC and Deployment', () => {
    const out = join(tmp(), 'dist');
    expect(tracelab('synth', '--operator', '--out', out).status).toBe(0);
    const kinds = readFileSync(join(out, 'operator', '10-operator.yaml'), 'utf8').match(/^kind: \w+/gm);
    expect(kinds).toEqual(['kind: ServiceAccount', 'kind: Role', 'kind: RoleBinding', 'kind: ClusterRole', 'kind: ClusterRoleBinding', 'kind: Deployment']);
  });

  it('cluster commands without a reachable cluster fail with a message that says what to do, and never hang', () => {
    const kubeconfig = join(tmp(), 'kubeconfig');
    writeFileSync(
      kubeconfig,
      'apiVersion: v1\nkind: Config\nclusters: [{ name: c, cluster: { server: "https://127.0.0.1:1" } }]\nusers: [{ name: u, user: { token: t } }]\ncontexts: [{ name: x, context: { cluster: c, user: u } }]\ncurrent-context: x\n',
    );
    const status = tracelab('status', '--kubeconfig', kubeconfig);
    expect(status.status).toBe(1);
    expect(status.stderr).toMatch(/cannot reach the Kubernetes API at https:\/\/127\.0\.0\.1:1 \(context "x"\)/);
    const context = tracelab('diff', '--kubeconfig', kubeconfig, '--context', 'nope');
    expect(context.stderr).toMatch(/kubeconfig has no context "nope"; it has: x/);
  });

  it('up with the kind profile names each missing tool (docker, kind, kubectl)', () => {
    const result = spawnSync(process.execPath, [join(root, 'scripts/tracelab.ts'), 'up'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, PATH: tmp() },
    });
    expect(result.status).toBe(1);
    for (const tool of ['docker', 'kind', 'kubectl']) expect(result.stderr).toMatch(new RegExp(`${tool} is not on PATH: install`));
    expect(result.stderr).toMatch(/--cluster existing/);
  });

  it('synth refuses to replace a directory it did not write', () => {
    const out = join(tmp(), 'mine');
    mkdirSync(out);
    writeFileSync(join(out, 'notes.txt'), 'keep me');
    const result = tracelab('synth', '--out', out);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/was not written by tracelab synth/);
    expect(existsSync(join(out, 'notes.txt'))).toBe(true);
  });

  it('schema prints JSON Schema', () => {
    const result = tracelab('schema');
    expect(JSON.parse(result.stdout).title).toBe('TraceLab');
  });
});

describe('tracelab langfuse and lab --backend', () => {
  it('langfuse --help names up, status and down; a wrong action exits 2 with usage', () => {
    const help = tracelab('langfuse', '--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: tracelab langfuse <up\|status\|down>/);
    const wrong = tracelab('langfuse', 'start');
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/say one of up, status, down[\s\S]*Usage: tracelab langfuse/);
  });

  it('status of an instance that never ran exits 3 and says so', () => {
    const result = spawnSync(process.execPath, [join(root, 'scripts/tracelab.ts'), 'langfuse', 'status'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, TRACELAB_LANGFUSE_STATE: join(tmp(), 'none') },
    });
    expect(result.status).toBe(3);
    expect(result.stdout).toMatch(/Langfuse 4: not running/);
  });

  it('lab --backend langfuse without a URL or keys stops before anything runs, naming what is missing', () => {
    const env = { ...process.env, LANGFUSE_BASE_URL: '', LANGFUSE_PUBLIC_KEY: '', LANGFUSE_SECRET_KEY: '' };
    const run = (...args: string[]) => spawnSync(process.execPath, [join(root, 'scripts/tracelab.ts'), 'lab', ...args], { cwd: root, encoding: 'utf8', env });
    expect(run('--backend', 'langfuse').stderr).toMatch(/--backend langfuse needs --langfuse-url <url> or LANGFUSE_BASE_URL/);
    expect(run('--backend', 'langfuse', '--langfuse-url', 'http://127.0.0.1:9').stderr).toMatch(/needs LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY/);
    expect(run('--backend', 'elsewhere').status).toBe(2);
  });
});
