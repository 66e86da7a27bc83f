import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { CapacityRecord } from '../infra/load/capacity-record.ts';
import { UsageError, parseFlags, type Command } from './command.ts';

/** As infra/report/write.ts names it; spelt here so a bad argument is answered without loading the report. */
const RESULTS_FILE = 'results.json';
/** As infra/report/capacity.ts names it. */
const CAPACITY_FILE = 'capacity.json';

/** A run file that cannot be used: one line naming the file, what is wrong, and how to recover. */
class RunFileError extends Error {
  constructor(file: string, problem: string, runDir?: string) {
    const raw = runDir && existsSync(join(runDir, 'raw', 'record.json'));
    super(`${file} ${problem}${raw && !file.endsWith('record.json') ? `; rebuild it from the raw record with: tracelab report ${runDir} --reanalyze` : ''}`);
  }
}

/** Runs `use` on a run file, turning a parse or shape failure into a RunFileError. */
function readingFile<T>(file: string, runDir: string | undefined, use: () => T): T {
  try {
    return use();
  } catch (error) {
    // readResults words its own failures (infra/report/write.ts); this module does not load it up front.
    if (error instanceof RunFileError || error instanceof UsageError || (error as Error).name === 'ResultsFileError') throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new RunFileError(file, 'is missing', runDir);
    if (error instanceof SyntaxError) throw new RunFileError(file, `is not valid JSON (${error.message}): cut short or edited by hand?`, runDir);
    throw new RunFileError(file, `cannot be rendered (${(error as Error).message}): from another tracelab version?`, runDir);
  }
}

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
    const candidatesOf = (run: string) => (isAbsolute(run) ? [run] : [run, join(values.results, run)]);
    // A capacity run has its own results (capacity.json) and report.
    const capacityDir =
      positionals.length === 1
        ? candidatesOf(positionals[0]).find((d) => existsSync(join(d, CAPACITY_FILE)) || existsSync(join(d, 'raw', CAPACITY_FILE)))
        : undefined;
    if (capacityDir) {
      const [{ capacityResults }, { sizing }, { capacityTerminal, readCapacityResults, writeCapacityReport, writeCapacityResults }] = await Promise.all([
        import('../infra/analysis/capacity.ts'),
        import('../infra/analysis/sizing.ts'),
        import('../infra/report/capacity.ts'),
      ]);
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
      const candidates = candidatesOf(run);
      const dir = candidates.find((d) => existsSync(join(d, RESULTS_FILE)) || existsSync(join(d, 'raw', 'record.json')));
      if (!dir)
        throw new UsageError(
          `no run "${run}": ${candidates.join(' and ')} hold${candidates.length === 1 ? 's' : ''} no ${RESULTS_FILE}; list runs with: ls ${values.results}`,
        );
      return dir;
    });
    // The stages load only now, so --help and bad arguments are answered at once.
    const [{ analyze, readRecord }, { compareRuns }, { terminalSummary }, { readResults, writeReport, writeResults }] = await Promise.all([
      import('../infra/analysis/analyze.ts'),
      import('../infra/report/compare.ts'),
      import('../infra/report/terminal.ts'),
      import('../infra/report/write.ts'),
    ]);
    const results = dirs.map((dir) => {
      if (values.reanalyze || !existsSync(join(dir, RESULTS_FILE))) {
        const fresh = readingFile(join(dir, 'raw', 'record.json'), dir, () => analyze(readRecord(dir), dir));
        writeResults(dir, fresh);
        return fresh;
      }
      return readingFile(join(dir, RESULTS_FILE), dir, () => readResults(dir));
    });
    if (results.length === 2) {
      console.log(readingFile(dirs.map((d) => join(d, RESULTS_FILE)).join(' and '), undefined, () => compareRuns(results[0], results[1])));
      return 0;
    }
    // A sweep run: report.* is the sweep's, variants.* every variant's (recomputed from raw/ with --reanalyze).
    const [{ sweepResults }, { SWEEP_FILE, readSweepResults, writeSweepReport, writeSweepResults }, { VARIANT_REPORT_FILES }] = await Promise.all([
      import('../infra/analysis/sweep.ts'),
      import('../infra/report/sweep.ts'),
      import('../infra/report/write.ts'),
    ]);
    const sweepFile = join(dirs[0], SWEEP_FILE);
    const isSweep = existsSync(sweepFile) || (values.reanalyze && readRecord(dirs[0]).sweep !== undefined);
    const files = readingFile(join(dirs[0], RESULTS_FILE), dirs[0], () => writeReport(dirs[0], results[0], isSweep ? VARIANT_REPORT_FILES : undefined));
    if (isSweep) {
      const swept = values.reanalyze || !existsSync(sweepFile) ? sweepResults(readRecord(dirs[0]), results[0], dirs[0]) : readSweepResults(dirs[0]);
      writeSweepResults(dirs[0], swept);
      files.push(...writeSweepReport(dirs[0], swept));
    }
    console.log(`${terminalSummary(results[0])}\n\nReport: ${files.join('\n        ')}`);
    return 0;
  },
};
