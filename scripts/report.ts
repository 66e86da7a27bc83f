import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, readRecord } from '../infra/analysis/analyze.ts';
import { sweepResults } from '../infra/analysis/sweep.ts';
import { SWEEP_FILE, readSweepResults, writeSweepReport, writeSweepResults } from '../infra/report/sweep.ts';
import { compareRuns } from '../infra/report/compare.ts';
import { terminalSummary } from '../infra/report/terminal.ts';
import { RESULTS_FILE, readResults, VARIANT_REPORT_FILES, writeReport, writeResults } from '../infra/report/write.ts';
import { capacityResults } from '../infra/analysis/capacity.ts';
import { sizing } from '../infra/analysis/sizing.ts';
import { CAPACITY_FILE, capacityTerminal, readCapacityResults, writeCapacityReport, writeCapacityResults } from '../infra/report/capacity.ts';
import type { CapacityRecord } from '../infra/load/capacity-record.ts';
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
    const located = (run: string) => (existsSync(join(run, RESULTS_FILE)) || existsSync(join(run, 'raw')) ? run : join(values.results, run));
    // A capacity run has its own results (capacity.json) and report.
    const capacityDir = positionals.length === 1 ? located(positionals[0]) : undefined;
    if (capacityDir && (existsSync(join(capacityDir, CAPACITY_FILE)) || existsSync(join(capacityDir, 'raw', CAPACITY_FILE)))) {
      const r =
        values.reanalyze || !existsSync(join(capacityDir, CAPACITY_FILE))
          ? capacityResults(JSON.parse(readFileSync(join(capacityDir, 'raw', CAPACITY_FILE), 'utf8')) as CapacityRecord, capacityDir)
          : readCapacityResults(capacityDir);
      writeCapacityResults(capacityDir, r);
      const size = sizing(r, { rate: r.targetRate, spansPerRequest: r.workload.spansPerRequest });
      const files = writeCapacityReport(capacityDir, r, size);
      console.log(`${capacityTerminal(r, size)}\n\nReport: ${files.join('\n        ')}`);
      return 0;
    }
    const dirs = positionals.map((run) => {
      const dir = located(run);
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
    // A sweep run: report.* is the sweep's, variants.* every variant's (recomputed from raw/ with --reanalyze).
    const sweepFile = join(dirs[0], SWEEP_FILE);
    const isSweep = existsSync(sweepFile) || (values.reanalyze && readRecord(dirs[0]).sweep !== undefined);
    const files = writeReport(dirs[0], results[0], isSweep ? VARIANT_REPORT_FILES : undefined);
    if (isSweep) {
      const swept = values.reanalyze || !existsSync(sweepFile) ? sweepResults(readRecord(dirs[0]), results[0], dirs[0]) : readSweepResults(dirs[0]);
      writeSweepResults(dirs[0], swept);
      files.push(...writeSweepReport(dirs[0], swept));
    }
    console.log(`${terminalSummary(results[0])}\n\nReport: ${files.join('\n        ')}`);
    return 0;
  },
};
