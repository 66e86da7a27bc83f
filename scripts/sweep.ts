import { analyze } from '../infra/analysis/analyze.ts';
import { sweepResults } from '../infra/analysis/sweep.ts';
import { runExperiment } from '../infra/experiment/run.ts';
import { harnessHeadroom, headroomWarning } from '../infra/experiment/headroom.ts';
import { estimateMinutes, parseVary, planSweep } from '../infra/experiment/sweep.ts';
import { SWEEP_PRESETS } from '../infra/experiment/sweep-presets.ts';
import { loadSpecFile } from '../contracts/spec/read.ts';
import { SweepError } from '../contracts/spec/sweep-paths.ts';
import { VARIANT_REPORT_FILES, writeReport, writeResults } from '../infra/report/write.ts';
import { writeSweepReport, writeSweepResults } from '../infra/report/sweep.ts';
import { sweepTerminal } from '../infra/report/sweep-terminal.ts';
import { type Command, parseFlags, SPEC_FLAGS } from './command.ts';
import { backendChoice, newRunId } from './lab.ts';

const presetList = () =>
  SWEEP_PRESETS.map(
    (p) => `  ${p.name.padEnd(19)} ${p.summary}\n${' '.repeat(22)}varies ${p.knobs.map((k) => `${k.path}=${k.values.join(',')}`).join(' × ')}`,
  ).join('\n');

export const sweep: Command = {
  name: 'sweep',
  summary: 'vary one knob (or a grid) and report overhead, CPU and loop lag against its values',
  usage: `Usage: tracelab sweep [--vary <path>=<v1>,<v2>,... | --preset <name>] [options]

Runs the lab once with every value of the knob as a variant of each topology, all
variants interleaved in every round (a new seeded order per round), then writes
results/<run-id>/report.{html,md} and sweep.json — Δp50, Δp99, Δp99.9 with their intervals,
CPU per request and event-loop delay against the values — and variants.html, the usual
report of every variant. A knob of the app's work (app.workload.*, load.rate|vus|thinkTime) gives each value
its own baseline; an SDK or instrumentation knob of the traced topologies
(topologies[*].sdk.*, topologies[<name>].instrumentation.*) shares one. Without --vary or
--preset the spec's sweep: section is used.

Options:
  -f, --spec <file>        the TraceLab spec (default: tracelab.yaml)
      --vary <p>=<values>  a spec path below spec and its values, e.g.
                           --vary app.workload.payloadBytes=0,1KiB,1MiB
                           --vary 'topologies[*].sdk.batchSize=64,512'
                           (twice or three times: every combination, a grid)
      --preset <name>      one of the field report's experiments (see --list-presets)
      --list-presets       print the presets with their knobs and durations, run nothing
      --topologies <a,b>   only these spec topologies (their baselines come along)
      --quick              three short rounds, to try a sweep, not to judge it
      --dry-run            print the variants and the time it would take, run nothing
      --skip-headroom      do not measure or check the harness's headroom (tracelab headroom)
      --backend <b>        stand-in (default) | langfuse | local-langfuse, as for tracelab lab
      --langfuse-url <u>   Langfuse base URL for --backend langfuse
      --results <dir>      where runs are written (default: results)
      --run-id <id>        name of the run directory (default: <time>-<spec name>-sweep)
  -h, --help               show this help

Presets:
${presetList()}`,
  async run(argv) {
    const { values } = parseFlags(argv, {
      spec: SPEC_FLAGS.spec,
      vary: { type: 'string', multiple: true },
      preset: { type: 'string' },
      'list-presets': { type: 'boolean', default: false },
      topologies: { type: 'string' },
      quick: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      'skip-headroom': { type: 'boolean', default: false },
      backend: { type: 'string', default: 'stand-in' },
      'langfuse-url': { type: 'string' },
      results: { type: 'string', default: 'results' },
      'run-id': { type: 'string' },
    });
    if (values.help) {
      console.log(this.usage);
      return 0;
    }
    const doc = loadSpecFile(values.spec);
    if (values['list-presets']) {
      for (const p of SWEEP_PRESETS) {
        const plan = planSweep({ doc, preset: p.name });
        console.log(
          `${p.name}: ${p.summary}\n  ${p.hypothesis}\n  ${plan.record.preset?.setup}\n  ${plan.doc.spec.topologies.length} slots per round; about ${Math.ceil(estimateMinutes(plan))} min with ${values.spec}\n`,
        );
      }
      return 0;
    }
    let plan: ReturnType<typeof planSweep>;
    try {
      plan = planSweep({
        doc,
        vary: values.vary?.map(parseVary),
        preset: values.preset,
        topologies: values.topologies?.split(',').map((t) => t.trim()),
        quick: values.quick,
      });
    } catch (error) {
      if (!(error instanceof SweepError)) throw error;
      process.stderr.write(`tracelab sweep: ${error.message}\n`);
      return 2;
    }
    const backend = backendChoice(values.backend, values['langfuse-url'], doc);
    const runId = values['run-id'] ?? newRunId(`${doc.metadata.name}-${plan.record.preset?.name ?? 'sweep'}`, values.quick);
    const started = Date.now();
    const say = (line: string) => console.log(`[${String(Math.round((Date.now() - started) / 1000)).padStart(5)}s] ${line}`);
    const minutes = Math.ceil(estimateMinutes(plan));
    say(
      `tracelab sweep: spec ${values.spec}, run ${runId}${plan.record.preset ? `, preset ${plan.record.preset.name}` : ''}: ${plan.record.knobs.map((k) => `${k.path} = ${k.values.join(', ')}`).join(' × ')}`,
    );
    say(`  ${plan.doc.spec.topologies.length} variants per round: ${plan.doc.spec.topologies.map((t) => t.name).join(', ')}; about ${minutes} min`);
    if (values['dry-run']) return 0;
    if (!values['skip-headroom']) {
      const harness = await harnessHeadroom({ progress: say });
      // The busiest variant: the highest rate at the most spans per request.
      const warnings = plan.record.variants.map((v) => headroomWarning(harness, v.load.rate, v.workload.spansPerRequest)).filter(Boolean);
      if (plan.doc.spec.load.scenario !== 'closed' && warnings.length) say(`note: ${warnings.at(-1)}`);
    }
    const { runDir, record } = await runExperiment({
      doc: plan.doc,
      resultsRoot: values.results,
      runId,
      quick: values.quick,
      progress: say,
      backend,
      sweep: plan,
    });
    say('Analysing every variant against its own baseline, then the values side by side...');
    let results: ReturnType<typeof analyze>;
    try {
      results = analyze(record, runDir);
    } catch (error) {
      if (!record.interrupted) throw error;
      console.log(`Interrupted before every variant had a measured slot (${(error as Error).message}); the raw record is in ${runDir}/raw/.`);
      return 130;
    }
    writeResults(runDir, results);
    writeReport(runDir, results, VARIANT_REPORT_FILES);
    const swept = sweepResults(record, results, runDir);
    writeSweepResults(runDir, swept);
    const [md, html] = writeSweepReport(runDir, swept);
    console.log(`\n${sweepTerminal(swept)}\n`);
    console.log(`Report: ${html}\n        ${md}\n        ${runDir}/sweep.json\nEvery variant in full: ${runDir}/variants.html`);
    return record.interrupted ? 130 : 0;
  },
};
