import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, readRecord } from '../infra/analysis/analyze.ts';
import { reproducibility, runSamples } from '../infra/analysis/reproducibility.ts';
import { runExperiment } from '../infra/experiment/run.ts';
import { reproducibilityText } from '../infra/report/reproducibility.ts';
import { writeReport, writeResults } from '../infra/report/write.ts';
import { loadSpecFile } from '../contracts/spec/read.ts';
import { type Command, parseFlags, SPEC_FLAGS, UsageError } from './command.ts';
import { newRunId } from './lab.ts';

export const reproduce: Command = {
  name: 'reproduce',
  summary: "run a spec several times and check that each run's intervals hold in the others",
  usage: `Usage: tracelab reproduce [options] [<run> <run> ...]

Runs the lab --times times with the same spec (each run is a full lab run with its own
report), then checks, per traced topology, how often each run's Δp99 interval contains the
Δp99 pooled from the other runs, and whether the run-to-run spread of Δp99 is at most the
median interval width — for every interval method, so the one tracelab uses can be judged.
Given runs (ids under --results or run directories), it only analyses them.

Options:
  -f, --spec <file>      the TraceLab spec (default: tracelab.yaml)
      --times <n>        runs to make, 2-20 (default: 5)
      --quick            short runs (three rounds of 7 s) — to try the command, not to judge
      --results <dir>    where runs are written (default: results)
  -h, --help             show this help`,
  async run(argv) {
    const { values, positionals } = parseFlags(
      argv,
      {
        spec: SPEC_FLAGS.spec,
        times: { type: 'string', default: '5' },
        quick: { type: 'boolean', default: false },
        results: { type: 'string', default: 'results' },
      },
      true,
    );
    if (values.help) {
      console.log(this.usage);
      return 0;
    }
    const started = Date.now();
    const say = (line: string) => console.log(`[${String(Math.round((Date.now() - started) / 1000)).padStart(5)}s] ${line}`);
    let dirs: string[];
    let reportDir: string;
    if (positionals.length > 0) {
      if (positionals.length < 2) throw new UsageError('give at least two runs to compare');
      dirs = positionals.map((run) => (run.includes('/') ? run : join(values.results, run)));
      reportDir = dirs[0];
    } else {
      const times = Number(values.times);
      if (!Number.isInteger(times) || times < 2 || times > 20) throw new UsageError(`--times must be a whole number from 2 to 20, got "${values.times}"`);
      const doc = loadSpecFile(values.spec);
      const base = newRunId(`${doc.metadata.name}-reproduce`, values.quick);
      dirs = [];
      for (let i = 1; i <= times; i++) {
        say(`Run ${i}/${times} of spec ${values.spec}`);
        const { runDir, record } = await runExperiment({ doc, resultsRoot: values.results, runId: `${base}-${i}`, quick: values.quick, progress: say });
        if (record.interrupted) throw new Error(`run ${i} was interrupted; the runs so far are in ${values.results}/${base}-*`);
        const results = analyze(record, runDir);
        writeResults(runDir, results);
        writeReport(runDir, results);
        dirs.push(runDir);
      }
      reportDir = join(values.results, `${base}-summary`);
    }
    const rows = reproducibility(dirs.map((dir) => runSamples(readRecord(dir), dir)));
    mkdirSync(reportDir, { recursive: true });
    const text = reproducibilityText(rows);
    writeFileSync(join(reportDir, 'reproducibility.md'), `# Reproducibility of ${dirs.length} runs\n\nRuns: ${dirs.join(', ')}\n\n${text}`);
    writeFileSync(join(reportDir, 'reproducibility.json'), `${JSON.stringify(rows, null, 2)}\n`);
    console.log(`\n${text}\nWritten: ${join(reportDir, 'reproducibility.md')}`);
    return 0;
  },
};
