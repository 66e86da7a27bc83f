// Spec → files on disk: one YAML per chart (or a Helm chart), plus the list of Secrets
// the manifests read. Output is byte-stable for a given spec.
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Yaml } from 'cdk8s';
import { stringify } from 'yaml';
import type { TraceLab } from '../contracts/spec/schema.ts';
import { requiredSecrets, type RequiredSecret } from './secrets.ts';
import { buildStack } from './stack.ts';

/** Marks a directory as written by `tracelab synth`, so replacing it loses nothing else. */
const MARKER = '.tracelab-synth';

export interface SynthOptions {
  readonly outdir: string;
  readonly format: 'yaml' | 'helm';
}

export interface SynthResult {
  readonly files: ReadonlyArray<{ path: string; objects: number }>;
  readonly secrets: readonly RequiredSecret[];
}

/** Each chart's objects, in apply order, rendered as multi-document YAML. */
export function renderCharts(doc: TraceLab): Array<{ name: string; objects: object[]; yaml: string }> {
  const app = buildStack(doc.spec);
  return app.charts.map((chart) => {
    const objects = chart.toJson() as object[];
    return { name: chart.node.id, objects, yaml: Yaml.stringify(...objects) };
  });
}

export function synthesize(doc: TraceLab, options: SynthOptions): SynthResult {
  prepareOutdir(options.outdir);
  const charts = renderCharts(doc);
  const secrets = requiredSecrets(doc.spec);
  const files: Array<{ path: string; objects: number }> = [];
  const write = (path: string, text: string, objects = 0) => {
    mkdirSync(join(options.outdir, path, '..'), { recursive: true });
    writeFileSync(join(options.outdir, path), text);
    files.push({ path, objects });
  };

  if (options.format === 'yaml') {
    for (const chart of charts) write(`${chart.name}.yaml`, chart.yaml, chart.objects.length);
  } else {
    write(
      'Chart.yaml',
      stringify({
        apiVersion: 'v2',
        name: `tracelab-${doc.metadata.name}`,
        description: 'Self-hosted Langfuse, OpenTelemetry Collectors and tracing-overhead topologies (synthesized by tracelab; static templates, no values)',
        type: 'application',
        version: '0.1.0',
        appVersion: String(doc.spec.langfuse.version),
      }),
    );
    write('values.yaml', '# Static chart: every value comes from tracelab.yaml at synth time.\n{}\n');
    // Helm would read "{{" in a manifest (a k6 script, say) as a template action.
    for (const chart of charts) write(`templates/${chart.name}.yaml`, chart.yaml.replaceAll('{{', '{{ "{{" }}'), chart.objects.length);
  }
  write('required-secrets.yaml', requiredSecretsYaml(doc, secrets));
  writeFileSync(join(options.outdir, MARKER), '');
  return { files, secrets };
}

function requiredSecretsYaml(doc: TraceLab, secrets: readonly RequiredSecret[]): string {
  const list = secrets.map((s) => ({
    name: s.name,
    namespace: doc.spec.namespace,
    purpose: s.purpose,
    keys: Object.fromEntries(Object.entries(s.keys).map(([k, rule]) => [k, rule === 'provided' ? 'provided by you' : 'generated at apply time'])),
  }));
  return `# Secrets the synthesized manifests read. No values here, ever.\n${stringify({ secrets: list })}`;
}

function prepareOutdir(outdir: string): void {
  if (existsSync(outdir)) {
    const entries = readdirSync(outdir);
    if (entries.length > 0 && !entries.includes(MARKER)) {
      throw new Error(`${outdir} exists and was not written by tracelab synth; choose another --out or empty it`);
    }
    rmSync(outdir, { recursive: true, force: true });
  }
  mkdirSync(outdir, { recursive: true });
}
