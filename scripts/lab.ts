import { loadSpecFile } from '../contracts/spec/read.ts';
import { SPEC_FLAGS, parseFlags, type Command } from './command.ts';
import { makeOutputDirectory } from './output-dir.ts';

export function newRunId(name: string, quick: boolean, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${name}${quick ? '-quick' : ''}`;
}

export const lab: Command = {
  name: 'lab',
  summary: 'run every topology on this machine (no cluster) and write the report',
  usage: `Usage: tracelab lab [options]

Starts the real processes on loopback — the target app once per topology, OpenTelemetry
Collectors (gateway, agent, one sidecar per sidecar topology) and ingest-sink as the
Langfuse stand-in — then drives them with k6 in interleaved rounds and writes
results/<run-id>/{report.html,report.md,results.json}. k6 and the collector are built
with Go (or downloaded) on first use and cached in .tools/.

Options:
  -f, --spec <file>      the TraceLab spec (default: tracelab.yaml)
      --quick            two short rounds (about 2 minutes) instead of the spec's load
      --results <dir>    where runs are written (default: results)
      --run-id <id>      name of the run directory (default: <time>-<spec name>)
  -h, --help             show this help`,
  async run(argv) {
    const { values } = parseFlags(argv, {
      spec: SPEC_FLAGS.spec,
      quick: { type: 'boolean', default: false },
      results: { type: 'string', default: 'results' },
      'run-id': { type: 'string' },
    });
    if (values.help) {
      console.log(this.usage);
      return 0;
    }
    const doc = loadSpecFile(values.spec);
    makeOutputDirectory(values.results, '--results');
    // The stages load only now, so --help and bad flags are answered at once.
    const [{ runLocalLab }, { analyze }, { terminalSummary }, { writeReport, writeResults }] = await Promise.all([
      import('../infra/local/lab.ts'),
      import('../infra/analysis/analyze.ts'),
      import('../infra/report/terminal.ts'),
      import('../infra/report/write.ts'),
    ]);
    const runId = values['run-id'] ?? newRunId(doc.metadata.name, values.quick);
    const started = Date.now();
    const say = (line: string) => console.log(`[${String(Math.round((Date.now() - started) / 1000)).padStart(4)}s] ${line}`);
    say(`tracelab lab: spec ${values.spec} ("${doc.metadata.name}"), run ${runId}${values.quick ? ' (quick)' : ''}`);
    const { runDir, record } = await runLocalLab({ doc, resultsRoot: values.results, runId, quick: values.quick, progress: say });
    say('Analysing (percentiles, bootstrap confidence intervals)...');
    const results = analyze(record, runDir);
    writeResults(runDir, results);
    const [md, html] = writeReport(runDir, results);
    console.log(`\n${terminalSummary(results)}\n`);
    console.log(`Report: ${html}\n        ${md}\n        ${runDir}/results.json`);
    return 0;
  },
};
