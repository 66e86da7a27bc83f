import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { synthesize } from '../../charts/synthesize.ts';
import { helmPath } from '../support/binaries.ts';
import { specMatrix } from '../support/specs.ts';

describe('tracelab synth --format helm', () => {
  const doc = specMatrix()[0].doc;
  const out = join(mkdtempSync(join(tmpdir(), 'tracelab-helm-')), 'chart');
  synthesize(doc, { outdir: out, format: 'helm' });

  it('passes helm lint', () => {
    const result = spawnSync(helmPath(), ['lint', out], { encoding: 'utf8' });
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
  });

  it('renders with helm template to the same objects as the YAML output', () => {
    const rendered = execFileSync(helmPath(), ['template', 'tracelab', out], { encoding: 'utf8', maxBuffer: 32 * 1024 * 1024 });
    const yamlOut = join(mkdtempSync(join(tmpdir(), 'tracelab-yaml-')), 'dist');
    const result = synthesize(doc, { outdir: yamlOut, format: 'yaml' });
    const count = result.files.reduce((n, f) => n + f.objects, 0);
    expect(rendered.match(/^kind: /gm)?.length).toBe(count);
  });

  it('helm lint fails on a broken chart (so the check above can fail)', () => {
    const broken = join(mkdtempSync(join(tmpdir(), 'tracelab-helm-')), 'chart');
    synthesize(doc, { outdir: broken, format: 'helm' });
    const file = join(broken, 'templates', '00-namespace.yaml');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n{{ .Values.missing.field }}\n`);
    expect(spawnSync(helmPath(), ['lint', broken], { encoding: 'utf8' }).status).not.toBe(0);
  });
});
