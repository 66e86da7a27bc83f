// Spec → objects and files: one YAML per chart (or a Helm chart), the TraceLab CRD, the
// operator (on request) and the list of Secrets the manifests read. Output is byte-stable for
// a given spec. This is the charts' one door: infra/ (the reconciler) reaches them here.
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Yaml } from 'cdk8s';
import { stringify } from 'yaml';
import { CRD_NAME } from '../contracts/cluster-resource.ts';
import { traceLabCrd } from '../contracts/crd.ts';
import type { TraceLab } from '../contracts/spec/schema.ts';
import { NamespaceChart } from './namespace.ts';
import { OperatorChart } from './operator/chart.ts';
import { requiredSecretsReadme } from './secrets-readme.ts';
import { requiredSecrets, type RequiredSecret } from './secrets.ts';
import { buildStack } from './stack.ts';

export { requiredSecrets, SECRET, type KeyRule, type RequiredSecret } from './secrets.ts';

/** Marks a directory as written by `tracelab synth`, so replacing it loses nothing else. */
const MARKER = '.tracelab-synth';
/** Stands for the namespace in Helm templates until it becomes {{ .Release.Namespace }}. */
const RELEASE_NAMESPACE = '__tracelab_release_namespace__';

export interface SynthOptions {
  readonly outdir: string;
  readonly format: 'yaml' | 'helm';
  /** Also write the operator (namespace, ServiceAccount, RBAC, Deployment) under operator/. */
  readonly operator?: boolean;
}

export interface SynthResult {
  readonly files: ReadonlyArray<{ path: string; objects: number }>;
  readonly secrets: readonly RequiredSecret[];
}

export interface RenderedChart {
  /** File name without extension, e.g. 10-langfuse; the prefix is the apply order. */
  readonly name: string;
  readonly objects: object[];
  readonly yaml: string;
}

/** Each chart's objects, in apply order, rendered as multi-document YAML. */
export function renderCharts(doc: TraceLab): RenderedChart[] {
  return buildStack(doc.spec).charts.map((chart) => {
    const objects = chart.toJson() as object[];
    return { name: chart.node.id, objects, yaml: Yaml.stringify(...objects) };
  });
}

/** The operator's objects for a namespace: the namespace itself, then ServiceAccount, RBAC, Deployment. */
export function renderOperator(doc: TraceLab, image?: string): RenderedChart[] {
  const app = new App();
  new NamespaceChart(app, '00-namespace', { namespace: doc.spec.namespace, hostPorts: doc.spec.collector.agent.enabled });
  new OperatorChart(app, '10-operator', { namespace: doc.spec.namespace, image });
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
  const crd = Yaml.stringify(traceLabCrd());

  if (options.format === 'yaml') {
    for (const chart of charts) write(`${chart.name}.yaml`, chart.yaml, chart.objects.length);
    // In a folder of its own: `kubectl apply -f <out>` (not recursive) applies the stack only.
    write(`crd/${CRD_NAME}.yaml`, crd, 1);
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
    // Helm installs crds/ before the templates, and never upgrades or deletes them.
    write(`crds/${CRD_NAME}.yaml`, crd, 1);
    for (const chart of charts) {
      // `helm install -n <ns> --create-namespace` owns the namespace: no Namespace object, and
      // every object goes where the release goes.
      const objects = chart.objects.filter((o) => (o as { kind: string }).kind !== 'Namespace').map(inReleaseNamespace);
      if (objects.length === 0) continue;
      // Helm would read "{{" in a manifest (a k6 script, say) as a template action.
      const yaml = Yaml.stringify(...objects)
        .replaceAll('{{', '{{ "{{" }}')
        .replaceAll(RELEASE_NAMESPACE, '{{ .Release.Namespace }}');
      write(`templates/${chart.name}.yaml`, yaml, objects.length);
    }
  }
  if (options.operator) {
    for (const chart of renderOperator(doc)) write(`operator/${chart.name}.yaml`, chart.yaml, chart.objects.length);
  }
  write('required-secrets.md', requiredSecretsReadme(doc.spec.namespace, secrets));
  writeFileSync(join(options.outdir, MARKER), '');
  return { files, secrets };
}

function inReleaseNamespace(object: object): object {
  const copy = structuredClone(object) as { metadata: { namespace?: string } };
  if (copy.metadata.namespace) copy.metadata.namespace = RELEASE_NAMESPACE;
  return copy;
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
