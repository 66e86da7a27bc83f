// Each app image installs only what the app imports: apps/<app>/package.json lists exactly the
// packages its sources import (and what contracts/ files they load at run time import), at
// the versions the root lockfile resolves, and its own lockfile agrees.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;
const rootLock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version: string }> };

/** Package names a file loads at run time (type-only imports are erased), and the project files it loads. */
function imports(file: string): { packages: string[]; files: string[] } {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/^\s*(?:import|export)\s+(?!type\b)(?:[^'"]*?\s+from\s+)?'([^']+)'|import\('([^']+)'\)|\brequire\('([^']+)'\)/gm)].map(
    (m) => m[1] ?? m[2] ?? m[3],
  );
  const packages = specifiers
    .filter((s) => !s.startsWith('.') && !s.startsWith('node:'))
    .map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]));
  const files = specifiers.filter((s) => s.startsWith('.')).map((s) => resolve(dirname(file), s));
  return { packages, files };
}

/** Every package the app loads, following its relative imports (into contracts/ too). */
function packagesLoadedBy(app: string): string[] {
  const seen = new Set<string>();
  const found = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const { packages, files } = imports(file);
    for (const p of packages) found.add(p);
    for (const f of files) visit(f);
  };
  const src = join(root, 'apps', app, 'src');
  for (const f of readdirSync(src, { recursive: true }) as string[]) if (f.endsWith('.ts')) visit(join(src, f));
  return [...found].sort();
}

describe.each(['ingest-sink', 'target-node'])('apps/%s image dependencies', (app) => {
  const manifest = JSON.parse(readFileSync(join(root, 'apps', app, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  const lock = JSON.parse(readFileSync(join(root, 'apps', app, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version: string; dependencies?: Record<string, string> }>;
  };

  it('lists exactly the packages the app imports', () => {
    expect(Object.keys(manifest.dependencies).sort()).toEqual(packagesLoadedBy(app));
  });

  it('pins each at the version the root lockfile resolves, and its lockfile installs that version', () => {
    for (const [name, spec] of Object.entries(manifest.dependencies)) {
      // An alias (npm:<package>@<version>) pins the aliased package's version.
      const version = spec.replace(/^npm:.+@/, '');
      expect(version, name).toBe(rootLock.packages[`node_modules/${name}`].version);
      expect(lock.packages[`node_modules/${name}`]?.version, `${name} in apps/${app}/package-lock.json`).toBe(version);
    }
    expect(lock.packages[''].dependencies).toEqual(manifest.dependencies);
  });
});

describe('the import scan', () => {
  it('sees value, side-effect, re-export and dynamic imports and scoped subpaths; skips type-only and node: imports', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tracelab-imports-')), 'x.ts');
    writeFileSync(
      file,
      [
        "import { a } from 'pkg-a';",
        "import type { B } from 'pkg-type-only';",
        "import 'pkg-side-effect';",
        "export { c } from '@scope/pkg-c/sub/path';",
        "const d = await import('pkg-d/deep');",
        "const f = require('pkg-f/build/root.js');",
        "import { readFileSync } from 'node:fs';",
        "import { e } from './e.ts';",
      ].join('\n'),
    );
    expect(imports(file)).toEqual({ packages: ['pkg-a', 'pkg-side-effect', '@scope/pkg-c', 'pkg-d', 'pkg-f'], files: [join(dirname(file), 'e.ts')] });
  });
});
