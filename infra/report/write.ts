import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Results } from '../analysis/results.ts';
import { htmlReport } from './html.ts';
import { markdownReport } from './markdown.ts';

export const RESULTS_FILE = 'results.json';

export function writeResults(runDir: string, results: Results): void {
  writeFileSync(join(runDir, RESULTS_FILE), `${JSON.stringify(results, null, 2)}\n`);
}

export function readResults(runDir: string): Results {
  return JSON.parse(readFileSync(join(runDir, RESULTS_FILE), 'utf8')) as Results;
}

/** report.md and report.html from results.json's content. */
export function writeReport(runDir: string, results: Results): string[] {
  const files = [join(runDir, 'report.md'), join(runDir, 'report.html')];
  writeFileSync(files[0], markdownReport(results));
  writeFileSync(files[1], htmlReport(results));
  return files;
}
