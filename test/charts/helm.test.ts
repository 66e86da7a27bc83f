import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { renderCharts, synthesize } from '../../charts/synthesize.ts';
import type { KubeObject } from '../support/kube-objects.ts';
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

  it('renders with helm template -n <ns> to the objects of the YAML output, in the release namespace and without a Namespace object', () => {
    const rendered = execFileSync(helmPath(), ['template', 'tracelab', out, '--namespace', 'staging-42'], { encoding: 'utf8', maxBuffer: 32 * 1024 * 1024 });
    const fromHelm = parseAllDocuments(rendered)
      .map((d) => d.toJS())
      .filter(Boolean);
    // The plain output, with only the namespace handling of `helm install -n <ns> --create-namespace`.
    const expected = renderCharts(doc)
      .flatMap((c) => c.objects as KubeObject[])
      .filter((o) => o.kind !== 'Namespace')
      .map((o) => ({ ...o, metadata: { ...o.metadata, namespace: 'staging-42' } }));
    const key = (o: KubeObject) => `${o.kind}/${o.metadata.name}`;
    const sort = (list: KubeObject[]) => [...list].sort((a, b) => key(a).localeCompare(key(b)));
    expect(sort(fromHelm).map(key)).toEqual(sort(expected).map(key));
    expect(sort(fromHelm)).toEqual(sort(expected));
  });

  it('installs the TraceLab CRD from crds/, as Helm expects', () => {
    const crd = parse(readFileSync(join(out, 'crds', 'tracelabs.tracelab.dev.yaml'), 'utf8'));
    expect(crd).toMatchObject({ kind: 'CustomResourceDefinition', metadata: { name: 'tracelabs.tracelab.dev' } });
  });

  it('helm lint fails on a broken chart (so the check above can fail)', () => {
    const broken = join(mkdtempSync(join(tmpdir(), 'tracelab-helm-')), 'chart');
    synthesize(doc, { outdir: broken, format: 'helm' });
    const file = join(broken, 'templates', '20-collector.yaml');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n{{ .Values.missing.field }}\n`);
    expect(spawnSync(helmPath(), ['lint', broken], { encoding: 'utf8' }).status).not.toBe(0);
  });
});
