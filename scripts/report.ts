import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { UsageError, parseFlags, type Command } from './command.ts';

/** As infra/report/write.ts names it; spelt here so a bad argument is answered without loading the report. */
const RESULTS_FILE = 'results.json';

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
    if (error instanceof RunFileError || error instanceof UsageError) throw error;
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
    const dirs = positionals.map((run) => {
      const candidates = isAbsolute(run) ? [run] : [run, join(values.results, run)];
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
      const file = join(dir, RESULTS_FILE);
      const read = readingFile(file, dir, () => readResults(dir));
      const missing = ['runId', 'baseline', 'topologies'].filter((key) => read === null || typeof read !== 'object' || !(key in read));
      if (missing.length > 0) throw new RunFileError(file, `is not tracelab results (no ${missing.join(', ')})`, dir);
      return read;
    });
    if (results.length === 2) {
      console.log(readingFile(dirs.map((d) => join(d, RESULTS_FILE)).join(' and '), undefined, () => compareRuns(results[0], results[1])));
      return 0;
    }
    const files = readingFile(join(dirs[0], RESULTS_FILE), dirs[0], () => writeReport(dirs[0], results[0]));
    console.log(`${terminalSummary(results[0])}\n\nReport: ${files.join('\n        ')}`);
    return 0;
  },
};
