// The CLI as a user runs it: a real Node process, real files, exit codes and messages.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { MAX_SPEC_BYTES } from '../contracts/spec/yaml-source.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EKS_STAGING, minimal } from './support/specs.ts';
import { nextStep } from '../scripts/synth.ts';

const root = new URL('..', import.meta.url).pathname;
const tracelab = (...args: string[]) =>
  spawnSync(process.execPath, [join(root, 'scripts/tracelab.ts'), ...args], { cwd: root, encoding: 'utf8', timeout: 20_000 });
const tmp = () => mkdtempSync(join(tmpdir(), 'tracelab-cli-'));

// Every bad invocation: answered in under 2 s, non-zero exit, one line that says what is wrong
// (a hint to --help may follow), never a stack trace.
const dir = mkdtempSync(join(tmpdir(), 'tracelab-cli-bad-'));
const file = (name: string, text: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const aFile = file('a-file', 'not a directory');
const tooLarge = file('large.yaml', `${minimal()}# ${'x'.repeat(MAX_SPEC_BYTES)}\n`);
const twoDocs = file('two.yaml', `${minimal()}---\nkind: Other\n`);
const manyProblems = file('many.yaml', minimal('  load: { rate: 0 }\n  topologies: []\n  profile: minikube'));
const unknownField = file('unknown.yaml', minimal('  collector: { gatway: {} }'));
const run = (name: string, results: string | undefined) => {
  mkdirSync(join(dir, name), { recursive: true });
  if (results !== undefined) writeFileSync(join(dir, name, 'results.json'), results);
  return join(dir, name);
};
const truncatedRun = run('truncated', '{"runId": "x", "topologies": [');
const notResultsRun = run('not-results', '{"hello": 1}');
const emptyRun = run('empty', undefined);

const BAD_INVOCATIONS: Array<[string, string[], number, RegExp]> = [
  [
    'no command',
    [],
    2,
    /^tracelab: no command given; one of: lab, sweep, capacity, headroom, langfuse, report, reproduce, validate, schema, synth, up, status, diff, down, operator$/,
  ],
  ['unknown command', ['synht'], 2, /^tracelab: unknown command "synht"; did you mean "synth"\?$/],
  ['unknown command, nothing close', ['deploy'], 2, /^tracelab: unknown command "deploy"$/],
  ['unknown top-level option', ['--verison'], 2, /^tracelab: unknown option --verison$/],
  ['help for an unknown command', ['help', 'synht'], 2, /^tracelab: unknown command "synht"; did you mean "synth"\?$/],
  ['unknown option, a longer form', ['synth', '--outdir', 'x'], 2, /^tracelab synth: unknown option --outdir; did you mean --out\?$/],
  ['unknown option, a typo', ['validate', '--spce', 'x.yaml'], 2, /^tracelab validate: unknown option --spce; did you mean --spec\?$/],
  ['option without its value', ['synth', '--out'], 2, /^tracelab synth: --out needs a value$/],
  ['a flag given a value', ['lab', '--quick=yes'], 2, /^tracelab lab: --quick takes no value$/],
  [
    'an argument where none is taken',
    ['validate', 'tracelab.yaml'],
    2,
    /^tracelab validate: unexpected argument "tracelab.yaml"; this command takes options only$/,
  ],
  ['a bad --profile', ['validate', '--profile', 'minikube'], 2, /^tracelab validate: --profile must be kind or eks, got "minikube"$/],
  ['a bad --format', ['synth', '--format', 'kustomize'], 2, /^tracelab synth: --format must be yaml or helm, got "kustomize"$/],
  [
    'synth --out under /proc',
    ['synth', '--out', '/proc/tracelab-out'],
    2,
    /^tracelab synth: --out \/proc\/tracelab-out: cannot create \/proc\/tracelab-out: its parent does not accept new directories; choose another --out$/,
  ],
  ['synth --out a file', ['synth', '--out', aFile], 2, /^tracelab synth: --out .*a-file: .*a-file is a file, not a directory; choose another --out$/],
  ['synth --out below a file', ['synth', '--out', join(aFile, 'sub')], 2, /^tracelab synth: --out .*a-file\/sub: .*a-file is a file, not a directory/],
  ['lab --results under /proc', ['lab', '--results', '/proc/tracelab-results'], 2, /^tracelab lab: --results \/proc\/tracelab-results: cannot create/],
  ['a missing spec', ['validate', '--spec', join(dir, 'nope.yaml')], 1, /^.*nope\.yaml: file not found; pass --spec <file> or create tracelab.yaml$/],
  ['a directory as spec', ['validate', '--spec', dir], 1, /^.*: is a directory; pass the spec file itself/],
  [
    'a spec over 1 MiB',
    ['validate', '--spec', tooLarge],
    1,
    /^.*large\.yaml: the file is 1,025 KiB; a spec is at most 1,024 KiB \(1 MiB\)\. Is this the right file\?$/,
  ],
  [
    'two YAML documents',
    ['validate', '--spec', twoDocs],
    1,
    /^.*two\.yaml is not a valid TraceLab spec \(1 problem\):\n {2}.*two\.yaml:7: a second YAML document starts here \("---"\); a spec is one document/,
  ],
  [
    'problems in file order, in plain words',
    ['validate', '--spec', manyProblems],
    1,
    /many\.yaml:6: spec\.load\.rate: must be at least 1 \(got 0\)\n.*many\.yaml:7: spec\.topologies: must list at least 1 topology \(got \[\]\)\n.*many\.yaml:8: spec\.profile: must be "kind" or "eks" \(got "minikube"\)$/,
  ],
  [
    'an unknown field',
    ['validate', '--spec', unknownField],
    1,
    /unknown\.yaml:6: spec\.collector\.gatway: unknown field `gatway`\. Did you mean `gateway`\? Allowed here: image, gateway, agent,/,
  ],
  [
    'report of a run that does not exist',
    ['report', join(dir, 'no-run')],
    2,
    /^tracelab report: no run ".*no-run": .*no-run holds no results\.json; list runs with: ls results$/,
  ],
  ['report of a run without results', ['report', emptyRun], 2, /^tracelab report: no run ".*empty"/],
  [
    'report of a truncated results.json',
    ['report', truncatedRun],
    1,
    /^tracelab report: .*truncated\/results\.json is not valid JSON \(.*\); it may be truncated — re-create it with: tracelab report --reanalyze .*truncated$/,
  ],
  [
    'report of a JSON that is not results',
    ['report', notResultsRun],
    1,
    /^tracelab report: .*not-results\/results\.json is not a results file of this tracelab version \(no topologies, interval or caveats\); re-create it with: tracelab report --reanalyze .*not-results$/,
  ],
  ['report with three runs', ['report', 'a', 'b', 'c'], 2, /^tracelab report: give one run to re-render or two runs to compare$/],
];

describe('bad invocations', () => {
  it.each(BAD_INVOCATIONS)('%s: tracelab %j → exit %i', (_label, args, code, answer) => {
    const started = performance.now();
    const result = tracelab(...args);
    const elapsed = performance.now() - started;
    expect(result.status, result.stderr).toBe(code);
    const [first, ...rest] = result.stderr.trimEnd().split('\n');
    // The answer's first line is the reason; what may follow is the hint to --help or, for a
    // spec, one line per problem.
    expect(`${first}\n${rest.join('\n')}`.trim()).toMatch(new RegExp(answer.source, 'm'));
    expect(answer.test(first) || answer.source.includes('\\n') || /\): ?$/.test(first)).toBe(true);
    expect(rest.every((line) => line.startsWith('  ') || line.startsWith('Run `tracelab'))).toBe(true);
    expect(result.stderr).not.toMatch(/^\s+at /m); // no stack trace
    expect(result.stdout).toBe('');
    expect(elapsed).toBeLessThan(2000);
  });
});

describe('tracelab CLI', () => {
  it('--version prints the package version', () => {
    const result = tracelab('--version');
    expect([result.status, result.stdout]).toEqual([0, `tracelab ${JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version}\n`]);
  });

  it("help <command> prints that command's help; help alone the list of commands", () => {
    for (const command of ['lab', 'report', 'validate', 'schema', 'synth']) {
      const result = tracelab('help', command);
      expect(result.status).toBe(0);
      expect(result.stdout).toBe(tracelab(command, '--help').stdout);
      expect(result.stdout).toMatch(new RegExp(`^Usage: tracelab ${command}`));
    }
    expect(tracelab('help').stdout).toMatch(/^Usage: tracelab <command>[\s\S]*Commands:/);
  });

  it('synth names only commands that exist in its next steps', () => {
    const out = join(tmp(), 'dist');
    const result = tracelab('synth', '--out', out);
    expect(result.status).toBe(0);
    const commands = (tracelab('--help').stdout.match(/^ {2}(\w+) /gm) ?? []).map((c) => c.trim());
    for (const [, named] of result.stdout.matchAll(/(?:`|Next: )tracelab (\w+)/g)) expect(commands).toContain(named);
    expect(result.stdout).toMatch(/^Next: tracelab up --out .*dist \(creates the Secrets and applies the manifests\)$/m);
    expect(result.stdout).not.toMatch(/required-secrets\.yaml$/m);
  });

  it('without an up command, the next step applies the charts (only files with objects) or installs the Helm chart', () => {
    const files = [
      { path: '00-namespace.yaml', objects: 1 },
      { path: '10-langfuse.yaml', objects: 17 },
      { path: 'required-secrets.md', objects: 0 },
    ];
    expect(nextStep(false, 'out', 'yaml', files)).toBe('kubectl apply -f out/00-namespace.yaml -f out/10-langfuse.yaml');
    expect(nextStep(false, 'out', 'helm', files)).toBe('helm install tracelab out');
    expect(nextStep(true, 'dist', 'yaml', files)).toBe('tracelab up (creates the Secrets and applies the manifests)');
  });

  it('--help on the CLI and on every command', () => {
    expect(tracelab('--help').stdout).toMatch(/Commands:[\s\S]*validate[\s\S]*schema[\s\S]*synth[\s\S]*up[\s\S]*status[\s\S]*diff[\s\S]*down[\s\S]*operator/);
    for (const command of ['validate', 'schema', 'synth', 'up', 'status', 'diff', 'down', 'operator']) {
      const result = tracelab(command, '--help');
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^Usage: tracelab ${command}`));
    }
  });

  it('validate: exit 0 on the default spec, exit 1 with every problem on a bad one', () => {
    expect(tracelab('validate').status).toBe(0);
    const file = join(tmp(), 'bad.yaml');
    writeFileSync(file, minimal('  profile: minikube\n  load: { rate: 0 }'));
    const result = tracelab('validate', '--spec', file);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/bad\.yaml:6: spec\.profile: must be "kind" or "eks"/);
    expect(result.stderr).toMatch(/bad\.yaml:7: spec\.load\.rate: must be at least 1 \(got 0\)/);
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
    expect(wrong.stderr).toMatch(/^tracelab langfuse: say one of up, status, down\nRun `tracelab langfuse --help` for its options\.$/m);
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
