import { loadSpecFile } from '../contracts/spec/read.ts';
import { SPEC_FLAGS, SPEC_FLAGS_HELP, UsageError, parseFlags, profileFlag, type Command } from './command.ts';
import { makeOutputDirectory } from './output-dir.ts';

export const synth: Command = {
  name: 'synth',
  summary: 'write the Kubernetes manifests (or a Helm chart) for the spec',
  usage: `Usage: tracelab synth [options]

Writes one YAML file per chart (namespace, langfuse, collector, topologies, loadtest),
the TraceLab CustomResourceDefinition (crd/, or crds/ in a Helm chart) and
required-secrets.md, which lists the Secrets the stack reads (names, keys and the commands
that create them; never values). \`kubectl apply -f <out>\` applies the stack alone.
Same spec in, byte-identical files out.

With --operator, also operator/: the namespace, the operator's ServiceAccount, its
least-privilege RBAC (a Role in that namespace; reading StorageClasses is its one
cluster-wide right) and its Deployment — the operator installed on its own:
  kubectl apply -f <out>/crd/ && kubectl apply -f <out>/operator/
  kubectl apply -n <namespace> -f tracelab.yaml

Options:
${SPEC_FLAGS_HELP}
  -o, --out <dir>        output directory (default: dist); replaced if tracelab wrote it
      --format <f>       yaml (default) | helm: a Helm chart with static templates, installed
                         with helm install -n <namespace> --create-namespace
      --operator         also write the operator's manifests under operator/
  -h, --help             show this help`,
  async run(argv, cli) {
    const { values } = parseFlags(argv, {
      ...SPEC_FLAGS,
      out: { type: 'string', short: 'o', default: 'dist' },
      format: { type: 'string', default: 'yaml' },
      operator: { type: 'boolean', default: false },
    });
    if (values.help) {
      console.log(this.usage);
      return 0;
    }
    if (values.format !== 'yaml' && values.format !== 'helm') throw new UsageError(`--format must be yaml or helm, got "${values.format}"`);
    const doc = loadSpecFile(values.spec, { profile: profileFlag(values.profile) });
    makeOutputDirectory(values.out, '--out');
    // Loaded here, not at the top: the CLI answers --help and bad flags without loading cdk8s.
    const { synthesize } = await import('../charts/synthesize.ts');
    const result = synthesize(doc, { outdir: values.out, format: values.format, operator: values.operator });
    console.log(`Synthesized "${doc.metadata.name}" for profile ${doc.spec.profile} into ${values.out}/ (${values.format}):`);
    for (const file of result.files) console.log(`  ${file.path.padEnd(40)} ${file.objects ? `${String(file.objects).padStart(3)} objects` : ''}`);
    const up = cli.commandNames.includes('up');
    console.log(
      `Secrets the stack reads (${up ? 'let `tracelab up` generate them, or create them yourself' : `create them in namespace ${doc.spec.namespace} first`}):`,
    );
    for (const s of result.secrets) console.log(`  ${s.name.padEnd(26)} keys: ${Object.keys(s.keys).join(', ')}`);
    console.log(`Next: ${nextStep(up, values.out, values.format, result.files)}`);
    return 0;
  },
};

/** What to run next, naming only commands that exist (a tracelab command only once it is there). */
export function nextStep(up: boolean, out: string, format: string, files: ReadonlyArray<{ path: string; objects: number }>): string {
  if (up) return `tracelab up${out === 'dist' ? '' : ` --out ${out}`} (creates the Secrets and applies the manifests)`;
  if (format === 'helm') return `helm install tracelab ${out}`;
  // required-secrets.yaml is a list for people, not a Kubernetes object: apply the charts only, in order.
  return `kubectl apply ${files
    .filter((f) => f.objects > 0)
    .map((f) => `-f ${out}/${f.path}`)
    .join(' ')}`;
}
