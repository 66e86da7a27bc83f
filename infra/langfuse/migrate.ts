// Langfuse's schema migrations, applied the way its web container would but without the two
// tools that cannot run here: `prisma migrate deploy` (needs Prisma's native schema engine)
// and golang-migrate (speaks ClickHouse's native protocol, which the front does not serve).
// Same files, same order, same bookkeeping tables, so the official tools would see them as
// applied. Both are idempotent: only what is not recorded yet runs.
import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Progress } from '../tools/resolve.ts';
import { runStep } from './run.ts';

const MINUTE = 60_000;

export interface PostgresTarget {
  readonly psql: string;
  readonly port: number;
  readonly password: string;
}

const psqlArgs = (t: PostgresTarget) => ['-h', '127.0.0.1', '-p', String(t.port), '-U', 'postgres', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-q'];

/** Prisma's migrations folder of the source tree, in the order Prisma applies them. */
export function prismaMigrations(src: string): string[] {
  const dir = join(src, 'packages/shared/prisma/migrations');
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

export async function migratePostgres(src: string, target: PostgresTarget, logFile: string, progress: Progress): Promise<number> {
  const env = { PGPASSWORD: target.password };
  const opts = { cwd: src, env, logFile, timeoutMs: 20 * MINUTE, progress };
  // The table `prisma migrate deploy` keeps; the release's cleanup script expects it too.
  const setup = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0);\n`;
  await runStep('Postgres bookkeeping', target.psql, psqlArgs(target), {
    ...opts,
    input: setup + readFileSync(join(src, 'packages/shared/scripts/cleanup.sql'), 'utf8'),
  });
  const applied = new Set(
    (
      await runStep(
        'Postgres applied migrations',
        target.psql,
        [...psqlArgs(target), '-tA', '-c', 'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL'],
        opts,
      )
    )
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean),
  );
  const pending = prismaMigrations(src).filter((name) => !applied.has(name));
  if (pending.length === 0) return 0;
  progress(`Postgres: applying ${pending.length} Prisma migrations`);
  // One psql session for all: each file, then its record, so a failure leaves the record exact.
  const script = pending
    .map((name) => {
      const file = join(src, 'packages/shared/prisma/migrations', name, 'migration.sql');
      const checksum = createHash('sha256').update(readFileSync(file)).digest('hex');
      return `\\echo applying ${name}\n\\i ${quote(file)}\nINSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, applied_steps_count) VALUES (${quote(randomUUID())}, ${quote(checksum)}, now(), ${quote(name)}, 1);\n`;
    })
    .join('');
  await runStep('Postgres migrations', target.psql, psqlArgs(target), { ...opts, input: script });
  return pending.length;
}

export interface ClickhouseTarget {
  readonly url: string;
  readonly user: string;
  readonly password: string;
}

/** Statements of one migration file (golang-migrate's multi-statement mode splits on ';'). */
export function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.replace(/--.*$/gm, '').trim() !== '');
}

async function clickhouse(target: ClickhouseTarget, sql: string): Promise<string> {
  const response = await fetch(`${target.url}/`, {
    method: 'POST',
    headers: { 'X-ClickHouse-User': target.user, 'X-ClickHouse-Key': target.password },
    body: sql,
    signal: AbortSignal.timeout(120_000),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`ClickHouse answered ${response.status} to\n${sql.slice(0, 400)}\n${text}`);
  return text;
}

export function clickhouseMigrations(src: string): Array<{ version: number; file: string }> {
  const dir = join(src, 'packages/shared/clickhouse/migrations/unclustered');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.up.sql'))
    .map((f) => ({ version: Number(f.split('_')[0]), file: join(dir, f) }))
    .sort((a, b) => a.version - b.version);
}

export async function migrateClickhouse(src: string, target: ClickhouseTarget, progress: Progress): Promise<number> {
  // golang-migrate's table, with the engine Langfuse asks for (x-migrations-table-engine=MergeTree).
  await clickhouse(target, 'CREATE TABLE IF NOT EXISTS schema_migrations (version Int64, dirty UInt8, sequence UInt64) ENGINE = MergeTree ORDER BY sequence');
  const last = await clickhouse(target, 'SELECT version, dirty FROM schema_migrations ORDER BY sequence DESC LIMIT 1 FORMAT TabSeparated');
  const [version, dirty] = last.trim() ? last.trim().split('\t').map(Number) : [0, 0];
  if (dirty)
    throw new Error(
      `ClickHouse migration ${version} is marked dirty (it failed halfway); remove the instance's clickhouse/ data (tracelab langfuse down --purge) and retry`,
    );
  const pending = clickhouseMigrations(src).filter((m) => m.version > version);
  if (pending.length > 0) progress(`ClickHouse: applying ${pending.length} migrations`);
  for (const m of pending) {
    const record = (isDirty: number) =>
      clickhouse(target, `INSERT INTO schema_migrations VALUES (${m.version}, ${isDirty}, ${Date.now() * 1000 + (isDirty ? 0 : 500)})`);
    await record(1);
    for (const statement of splitStatements(readFileSync(m.file, 'utf8'))) {
      await clickhouse(target, statement).catch((error: Error) => {
        throw new Error(`ClickHouse migration ${m.file} failed: ${error.message}`);
      });
    }
    await record(0);
  }
  return pending.length;
}
