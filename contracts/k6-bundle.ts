// The k6 bundle: the scenario scripts under k6/ plus the env contract they import. The local
// runner starts them in place; the loadtest chart ships the same files in a ConfigMap, laid
// out as in the repository so their relative imports resolve there too.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = new URL('../', import.meta.url).pathname;
export const K6_DIR = join(ROOT, 'k6/');
/** The contracts the k6 scripts import (each imports nothing itself). */
const K6_CONTRACTS = ['contracts/k6-env.ts', 'contracts/app-metrics.ts'];

/** Repository-relative path of a scenario script, e.g. k6/scenarios/steady.ts. */
export const scenarioPath = (scenario: string) => `k6/scenarios/${scenario}.ts`;

/** Every file k6 loads, as [repository-relative path, content], sorted for byte-stable output. */
export function k6Bundle(): Array<[string, string]> {
  const walk = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : e.name.endsWith('.ts') ? [join(d, e.name)] : []));
  return [...walk(K6_DIR), ...K6_CONTRACTS.map((file) => join(ROOT, file))]
    .map((file) => [relative(ROOT, file), readFileSync(file, 'utf8')] as [string, string])
    .sort(([a], [b]) => a.localeCompare(b));
}
