// The CLI as a user runs it: a real Node process, real files, exit codes and messages.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { minimal } from './support/specs.ts';

const root = new URL('..', import.meta.url).pathname;
const tracelab = (...args: string[]) => spawnSync(process.execPath, [join(root, 'scripts/tracelab.ts'), ...args], { cwd: root, encoding: 'utf8' });
const tmp = () => mkdtempSync(join(tmpdir(), 'tracelab-cli-'));

describe('tracelab CLI', () => {
  it('--help on the CLI and on every command', () => {
    expect(tracelab('--help').stdout).toMatch(/Commands:[\s\S]*validate[\s\S]*schema[\s\S]*synth/);
    for (const command of ['validate', 'schema', 'synth']) {
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
    expect(result.stderr).toMatch(/bad\.yaml:6: spec\.profile: must be "kind" or "eks"/);
    expect(result.stderr).toMatch(/bad\.yaml:7: spec\.load\.rate: must be at least 1 \(got 0\)/);
  });

  it('synth writes one file per chart, byte-identical on a second run, for kind and eks', () => {
    for (const profile of ['kind', 'eks']) {
      const a = join(tmp(), 'dist');
      const b = join(tmp(), 'dist');
      expect(tracelab('synth', '--profile', profile, '--out', a).status).toBe(0);
      expect(tracelab('synth', '--profile', profile, '--out', b).status).toBe(0);
      const files = readdirSync(a)
        .filter((f) => f.endsWith('.yaml'))
        .sort();
      expect(files).toEqual(['00-namespace.yaml', '10-langfuse.yaml', '20-collector.yaml', '30-topologies.yaml', '40-loadtest.yaml', 'required-secrets.yaml']);
      for (const f of files) expect(readFileSync(join(b, f), 'utf8')).toBe(readFileSync(join(a, f), 'utf8'));
    }
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
