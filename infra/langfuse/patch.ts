// The few edits the release source needs to build and run here (FACTS.md, "Real Langfuse
// without containers"). Prisma 6 downloads native engines from its own CDN at install and
// generate time, which machines without that host cannot reach; its Rust-free client runs
// on the `pg` driver instead. Each edit checks its anchor, so a release that moved the code
// fails here by name instead of building something half-patched.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PRISMA_ADAPTER_PG } from '../tools/versions.ts';

interface Edit {
  readonly file: string;
  readonly anchor: string;
  readonly replacement: string;
  /** Already applied when the file contains this. */
  readonly applied: string;
}

const EDITS: readonly Edit[] = [
  {
    file: 'packages/shared/prisma/schema.prisma',
    anchor: 'provider        = "prisma-client-js"',
    replacement: 'provider        = "prisma-client-js"\n  engineType      = "client"',
    applied: 'engineType      = "client"',
  },
  {
    file: 'packages/shared/src/db.ts',
    anchor: 'import { Prisma, PrismaClient } from "@prisma/client";',
    replacement: 'import { Prisma, PrismaClient } from "@prisma/client";\nimport { PrismaPg } from "@prisma/adapter-pg";',
    applied: '@prisma/adapter-pg',
  },
  {
    file: 'packages/shared/src/db.ts',
    anchor: '  >({\n    log: [',
    replacement: '  >({\n    adapter: new PrismaPg({ connectionString: env.DATABASE_URL }),\n    log: [',
    applied: 'adapter: new PrismaPg',
  },
];

/** Applies every edit (idempotent). */
export function patchSource(src: string): void {
  for (const edit of EDITS) {
    const path = join(src, edit.file);
    const text = readFileSync(path, 'utf8');
    if (text.includes(edit.applied)) continue;
    if (!text.includes(edit.anchor)) throw new Error(`cannot patch ${edit.file}: "${edit.anchor.trim()}" is not there (did the release change?)`);
    writeFileSync(path, text.replace(edit.anchor, edit.replacement));
  }
  const pkgPath = join(src, 'packages/shared/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { dependencies: Record<string, string> };
  if (pkg.dependencies['@prisma/adapter-pg'] !== PRISMA_ADAPTER_PG) {
    pkg.dependencies['@prisma/adapter-pg'] = PRISMA_ADAPTER_PG;
    writeFileSync(pkgPath, `${JSON.stringify(pkg, null, 2)}\n`);
  }
  // Cloud-only routing; the official Dockerfile deletes it for self-hosted builds too.
  const middleware = join(src, 'web/src/middleware.ts');
  if (existsSync(middleware)) rmSync(middleware);
}

/**
 * Env that keeps the Prisma CLI from downloading engines: it is told they exist (empty stub
 * files). Nothing executes them — the client engine needs none and migrations are applied
 * with psql (migrate.ts).
 */
export function prismaStubEnv(stubDir: string): Record<string, string> {
  const schemaEngine = join(stubDir, 'schema-engine');
  const queryEngine = join(stubDir, 'libquery_engine.so.node');
  for (const file of [schemaEngine, queryEngine]) if (!existsSync(file)) writeFileSync(file, '', { mode: 0o755 });
  return {
    PRISMA_SCHEMA_ENGINE_BINARY: schemaEngine,
    PRISMA_QUERY_ENGINE_LIBRARY: queryEngine,
    PRISMA_ENGINES_CHECKSUM_IGNORE_MISSING: '1',
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
  };
}
