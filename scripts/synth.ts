import { loadSpecFile } from '../contracts/spec/read.ts';
import { synthesize } from '../charts/synthesize.ts';
import { SPEC_FLAGS, SPEC_FLAGS_HELP, UsageError, parseFlags, profileFlag, type Command } from './command.ts';

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
  async run(argv) {
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
    const result = synthesize(doc, { outdir: values.out, format: values.format, operator: values.operator });
    console.log(`Synthesized "${doc.metadata.name}" for profile ${doc.spec.profile} into ${values.out}/ (${values.format}):`);
    for (const file of result.files) console.log(`  ${file.path.padEnd(40)} ${file.objects ? `${String(file.objects).padStart(3)} objects` : ''}`);
    console.log(`Secrets the stack reads (create them, or let \`tracelab up\` generate them):`);
    for (const s of result.secrets) console.log(`  ${s.name.padEnd(26)} keys: ${Object.keys(s.keys).join(', ')}`);
    return 0;
  },
};
