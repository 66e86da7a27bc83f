import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Results } from '../analysis/results.ts';
import { htmlReport } from './html.ts';
import { markdownReport } from './markdown.ts';

export const RESULTS_FILE = 'results.json';

export function writeResults(runDir: string, results: Results): void {
  writeFileSync(join(runDir, RESULTS_FILE), `${JSON.stringify(results, null, 2)}\n`);
}

/** results.json of a run; a missing, truncated or foreign file is an error naming it. */
/** results.json cannot be used: the message names the file, what is wrong and how to recover. */
export class ResultsFileError extends Error {
  override readonly name = 'ResultsFileError';
}

export function readResults(runDir: string): Results {
  const file = join(runDir, RESULTS_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ResultsFileError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (error as Error).message}`);
  }
  let results: Results;
  try {
    results = JSON.parse(text) as Results;
  } catch (error) {
    throw new ResultsFileError(
      `${file} is not valid JSON (${(error as Error).message}); it may be truncated — re-create it with: tracelab report --reanalyze ${runDir}`,
    );
  }
  if (!results || !Array.isArray(results.topologies) || !results.interval || !Array.isArray(results.caveats)) {
    throw new ResultsFileError(
      `${file} is not a results file of this tracelab version (no topologies, interval or caveats); re-create it with: tracelab report --reanalyze ${runDir}`,
    );
  }
  return results;
}

/** The report of every topology; a sweep writes it as variants.* (its report.* is the sweep's). */
export const REPORT_FILES = ['report.md', 'report.html'] as const;
export const VARIANT_REPORT_FILES = ['variants.md', 'variants.html'] as const;

/** report.md and report.html (or other names) from results.json's content. */
export function writeReport(runDir: string, results: Results, names: readonly [string, string] = REPORT_FILES): string[] {
  const files = [join(runDir, names[0]), join(runDir, names[1])];
  writeFileSync(files[0], markdownReport(results));
  writeFileSync(files[1], htmlReport(results));
  return files;
}
