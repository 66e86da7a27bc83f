import { loadSpecFile } from '../contracts/spec/read.ts';
import { synthesize } from '../charts/synthesize.ts';
import { SPEC_FLAGS, SPEC_FLAGS_HELP, UsageError, parseFlags, profileFlag, type Command } from './command.ts';

export const synth: Command = {
  name: 'synth',
  summary: 'write the Kubernetes manifests (or a Helm chart) for the spec',
  usage: `Usage: tracelab synth [options]

Writes one YAML file per chart (namespace, langfuse, collector, topologies, loadtest)
plus required-secrets.yaml, which lists the Secrets (names and keys, never values)
the stack reads. Same spec in, byte-identical files out.

Options:
${SPEC_FLAGS_HELP}
  -o, --out <dir>        output directory (default: dist); replaced if tracelab wrote it
      --format <f>       yaml (default) | helm: a Helm chart with static templates
  -h, --help             show this help`,
  async run(argv) {
    const { values } = parseFlags(argv, { ...SPEC_FLAGS, out: { type: 'string', short: 'o', default: 'dist' }, format: { type: 'string', default: 'yaml' } });
    if (values.help) {
      console.log(this.usage);
      return 0;
    }
    if (values.format !== 'yaml' && values.format !== 'helm') throw new UsageError(`--format must be yaml or helm, got "${values.format}"`);
    const doc = loadSpecFile(values.spec, { profile: profileFlag(values.profile) });
    const result = synthesize(doc, { outdir: values.out, format: values.format });
    console.log(`Synthesized "${doc.metadata.name}" for profile ${doc.spec.profile} into ${values.out}/ (${values.format}):`);
    for (const file of result.files) console.log(`  ${file.path.padEnd(34)} ${file.objects ? `${String(file.objects).padStart(3)} objects` : ''}`);
    console.log(`Secrets the stack reads (create them, or let \`tracelab up\` generate them):`);
    for (const s of result.secrets) console.log(`  ${s.name.padEnd(26)} keys: ${Object.keys(s.keys).join(', ')}`);
    return 0;
  },
};
