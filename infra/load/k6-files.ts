// Where the k6 scenarios live: the runner starts them from here, the loadtest chart ships
// them in a ConfigMap.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export const K6_DIR = new URL('../../k6/', import.meta.url).pathname;

/** Every .ts file under k6/ as [relative path, content], sorted for byte-stable output. */
export function k6Files(dir = K6_DIR): Array<[string, string]> {
  const walk = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : e.name.endsWith('.ts') ? [join(d, e.name)] : []));
  return walk(dir)
    .map((file) => [relative(dir, file), readFileSync(file, 'utf8')] as [string, string])
    .sort(([a], [b]) => a.localeCompare(b));
}
