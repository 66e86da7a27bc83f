import { loadSpecFile } from '../contracts/spec/read.ts';
import { SweepError } from '../contracts/spec/sweep-paths.ts';
import { estimateMinutes, planSweep } from '../infra/experiment/sweep.ts';
import { SPEC_FLAGS, SPEC_FLAGS_HELP, parseFlags, profileFlag, type Command } from './command.ts';

export const validate: Command = {
  name: 'validate',
  summary: 'check a spec and list every problem with its path and line',
  usage: `Usage: tracelab validate [options]

Checks the spec against the TraceLab schema (unknown fields are errors) and the rules
between fields. Exits 1 and lists every problem when the spec is invalid.

Options:
${SPEC_FLAGS_HELP}
  -h, --help             show this help`,
  async run(argv) {
    const { values } = parseFlags(argv, SPEC_FLAGS);
    if (values.help) {
      console.log(this.usage);
      return 0;
    }
    const doc = loadSpecFile(values.spec, { profile: profileFlag(values.profile) });
    const s = doc.spec;
    // A sweep's paths and values are checked against the schema as `tracelab sweep` would.
    let sweep: string | undefined;
    if (s.sweep) {
      try {
        const plan = planSweep({ doc });
        sweep = `${plan.record.knobs.map((k) => `${k.path} = ${k.values.join(', ')}`).join(' × ')}; ${plan.doc.spec.topologies.length} variants per round, about ${Math.ceil(estimateMinutes(plan))} min`;
      } catch (error) {
        if (!(error instanceof SweepError)) throw error;
        process.stderr.write(`${values.spec}: spec.sweep: ${error.message}\n`);
        return 1;
      }
    }
    console.log(`${values.spec}: valid TraceLab "${doc.metadata.name}" (profile ${s.profile}, Langfuse ${s.langfuse.version}, namespace ${s.namespace})`);
    console.log(`  topologies: ${s.topologies.map((t) => (t.name === t.topology ? t.name : `${t.name} (${t.topology})`)).join(', ')}`);
    console.log(`  load: ${s.load.scenario} at ${s.load.rate} req/s for ${s.load.duration} per topology, ${s.load.rounds} round(s), warm-up ${s.load.warmup}`);
    if (sweep) console.log(`  sweep: ${sweep}`);
    return 0;
  },
};
