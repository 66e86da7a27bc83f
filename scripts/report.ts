import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, readRecord } from '../infra/analysis/analyze.ts';
import { sweepResults } from '../infra/analysis/sweep.ts';
import { SWEEP_FILE, readSweepResults, writeSweepReport, writeSweepResults } from '../infra/report/sweep.ts';
import { compareRuns } from '../infra/report/compare.ts';
import { terminalSummary } from '../infra/report/terminal.ts';
import { RESULTS_FILE, readResults, writeReport, writeResults } from '../infra/report/write.ts';
import { UsageError, parseFlags, type Command } from './command.ts';

export const report: Command = {
  name: 'report',
  summary: "re-render a run's report from results.json, or compare two runs",
  usage: `Usage: tracelab report <run> [<other-run>] [options]

With one run: rewrites report.md and report.html from results.json and prints the summary.
With two runs: prints their p99 and overhead side by side (B − A).
A run is a run id under --results or a path to a run directory.

Options:
      --results <dir>    where runs live (default: results)
      --reanalyze        recompute results.json from raw/ first (after a tracelab upgrade)
  -h, --help             show this help`,
  async run(argv) {
    const { values, positionals } = parseFlags(argv, { results: { type: 'string', default: 'results' }, reanalyze: { type: 'boolean', default: false } }, true);
    if (values.help) {
      console.log(this.usage);
      return 0;
    }
    if (positionals.length < 1 || positionals.length > 2) throw new UsageError('give one run to re-render or two runs to compare');
    const dirs = positionals.map((run) => {
      const dir = existsSync(join(run, RESULTS_FILE)) || existsSync(join(run, 'raw')) ? run : join(values.results, run);
      if (!existsSync(join(dir, RESULTS_FILE)) && !existsSync(join(dir, 'raw', 'record.json'))) {
        throw new UsageError(`no run at ${dir} (looked for ${RESULTS_FILE}); list runs with: ls ${values.results}`);
      }
      return dir;
    });
    const results = dirs.map((dir) => {
      if (values.reanalyze || !existsSync(join(dir, RESULTS_FILE))) {
        const fresh = analyze(readRecord(dir), dir);
        writeResults(dir, fresh);
        return fresh;
      }
      return readResults(dir);
    });
    if (results.length === 2) {
      console.log(compareRuns(results[0], results[1]));
      return 0;
    }
    const files = writeReport(dirs[0], results[0]);
    // A sweep run: its sweep report too (recomputed from raw/ with --reanalyze).
    const sweepFile = join(dirs[0], SWEEP_FILE);
    if (existsSync(sweepFile) || (values.reanalyze && readRecord(dirs[0]).sweep)) {
      const swept = values.reanalyze || !existsSync(sweepFile) ? sweepResults(readRecord(dirs[0]), results[0], dirs[0]) : readSweepResults(dirs[0]);
      writeSweepResults(dirs[0], swept);
      files.push(...writeSweepReport(dirs[0], swept));
    }
    console.log(`${terminalSummary(results[0])}\n\nReport: ${files.join('\n        ')}`);
    return 0;
  },
};
