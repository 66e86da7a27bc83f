// Every collector config the charts synthesize must pass `validate` of a real collector
// built with the collector builder from the same component list.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectorConfigYaml } from '../../contracts/collector-config.ts';
import { renderCharts } from '../../charts/synthesize.ts';
import { toolPath } from '../support/binaries.ts';
import type { KubeObject } from '../support/kube-objects.ts';
import { specMatrix } from '../support/specs.ts';

const dir = mkdtempSync(join(tmpdir(), 'tracelab-otelcol-'));

function validate(name: string, yaml: string) {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, yaml);
  return spawnSync(toolPath('otelcol'), ['validate', `--config=${file}`], { env: { ...process.env, LANGFUSE_BASIC_AUTH: 'dGVzdDp0ZXN0' }, encoding: 'utf8' });
}

describe('synthesized collector configs', () => {
  const configs = specMatrix().flatMap(({ label, doc }) =>
    (renderCharts(doc).flatMap((c) => c.objects) as KubeObject[])
      .filter((o) => o.kind === 'ConfigMap' && o.data?.['config.yaml'])
      .map((o) => ({ label: `${label}: ${o.metadata.name}`, yaml: o.data!['config.yaml'] })),
  );

  it('cover gateway, agent and sidecar', () => {
    const names = configs.map((c) => c.label).join('\n');
    expect(names).toMatch(/otel-gateway-config/);
    expect(names).toMatch(/otel-agent-config/);
    expect(names).toMatch(/otel-sidecar-config/);
  });

  it.each(configs.map((c) => [c.label, c.yaml]))('%s passes otelcol validate', (label, yaml) => {
    const result = validate(label.replace(/\W+/g, '-'), yaml);
    expect(result.status, result.stderr).toBe(0);
  });

  it('the validator rejects a broken pipeline (so the checks above can fail)', () => {
    const doc = specMatrix()[0].doc;
    const yaml = collectorConfigYaml({ settings: doc.spec.collector, langfuseOtelEndpoint: 'http://x:3000/api/public/otel', bindHost: '127.0.0.1' })
      .replace('processors: [ memory_limiter, batch ]', 'processors: [ memory_limiter, tail_sampling ]')
      .replace(/- batch$/m, '- tail_sampling');
    const result = validate('broken', yaml);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/tail_sampling/);
  });

  it('the binary carries exactly the components the configs use', () => {
    const components = execFileSync(toolPath('otelcol'), ['components'], { encoding: 'utf8' });
    for (const name of ['otlp', 'memory_limiter', 'batch', 'otlp_http', 'file_storage', 'health_check']) {
      expect(components).toMatch(new RegExp(`name: ${name}\\b`));
    }
  });
});
