import { analyze } from '../infra/analysis/analyze.ts';
import { runExperiment } from '../infra/experiment/run.ts';
import { loadSpecFile } from '../contracts/spec/read.ts';
import { terminalSummary } from '../infra/report/terminal.ts';
import { writeReport, writeResults } from '../infra/report/write.ts';
import { PRESETS, PRESET_NAMES, isPresetName } from '../contracts/spec/presets.ts';
import { SPEC_FLAGS, UsageError, parseFlags, type Command } from './command.ts';

export function newRunId(name: string, quick: boolean, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${name}${quick ? '-quick' : ''}`;
}

export const lab: Command = {
  name: 'lab',
  summary: 'run every topology on this machine (no cluster) and write the report',
  usage: `Usage: tracelab lab [options]

Starts the real processes on loopback — OpenTelemetry Collectors (gateway, agent, one
sidecar per sidecar topology), ingest-sink as the Langfuse stand-in, and a fresh target
app for every slot — then drives them with k6 in rounds (a new seeded order of topologies
each round) and writes results/<run-id>/{report.html,report.md,results.json}. With
load.precision in the spec, rounds are added until every Δp99 interval is that narrow or
load.budget runs out. A slot that other programs disturbed is re-run. Ctrl-C stops every
process it started and keeps what was measured. k6 and the collector are built with Go
(or downloaded) on first use and cached in .tools/.

Options:
  -f, --spec <file>      the TraceLab spec (default: tracelab.yaml)
      --quick            three short rounds (about 3 minutes) instead of the spec's load;
                         with faults, one round of the spec's timing
      --preset <name>    a fault run laid over the spec (its faults, topologies and timing):
${PRESET_NAMES.map((n) => `                           ${n.padEnd(16)} ${PRESETS[n].summary}`).join('\n')}
                         each with every collector topology twice: persistent queue off and on (-pq)
      --sink <mode>      what ingest-sink does before its 200: queue (default) — Langfuse's key
                         check in Redis, the batch to S3 (MinIO), a BullMQ job; count — nothing
                         (faster, but understates export round trips)
      --results <dir>    where runs are written (default: results)
      --run-id <id>      name of the run directory (default: <time>-<spec name>)
  -h, --help             show this help`,
  async run(argv) {
    const { values } = parseFlags(argv, {
      spec: SPEC_FLAGS.spec,
      quick: { type: 'boolean', default: false },
      results: { type: 'string', default: 'results' },
      'run-id': { type: 'string' },
      preset: { type: 'string' },
      sink: { type: 'string', default: 'queue' },
    });
    if (values.help) {
      console.log(this.usage);
      return 0;
    }
    if (values.preset !== undefined && !isPresetName(values.preset))
      throw new UsageError(`--preset must be one of ${PRESET_NAMES.join(', ')}, got "${values.preset}"`);
    if (values.sink !== 'queue' && values.sink !== 'count') throw new UsageError(`--sink must be queue or count, got "${values.sink}"`);
    const doc = loadSpecFile(values.spec, { preset: values.preset });
    const runId = values['run-id'] ?? newRunId(`${doc.metadata.name}${values.preset ? `-${values.preset}` : ''}`, values.quick);
    const started = Date.now();
    const say = (line: string) => console.log(`[${String(Math.round((Date.now() - started) / 1000)).padStart(4)}s] ${line}`);
    say(`tracelab lab: spec ${values.spec} ("${doc.metadata.name}"), run ${runId}${values.quick ? ' (quick)' : ''}`);
    const { runDir, record } = await runExperiment({ doc, resultsRoot: values.results, runId, quick: values.quick, progress: say, sinkMode: values.sink });
    say('Analysing (percentiles, intervals over rounds, the tail request by request)...');
    let results: ReturnType<typeof analyze>;
    try {
      results = analyze(record, runDir);
    } catch (error) {
      if (!record.interrupted) throw error;
      console.log(`Interrupted before every topology had a measured slot (${(error as Error).message}); the raw record is in ${runDir}/raw/.`);
      return 130;
    }
    writeResults(runDir, results);
    const [md, html] = writeReport(runDir, results);
    console.log(`\n${terminalSummary(results)}\n`);
    console.log(`Report: ${html}\n        ${md}\n        ${runDir}/results.json`);
    // 128 + SIGINT, as shells report a run stopped by Ctrl-C.
    return record.interrupted ? 130 : 0;
  },
};
