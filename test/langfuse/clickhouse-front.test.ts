// The ClickHouse engine's HTTP front (apps/clickhouse-front): Langfuse's migrations of both
// majors apply cleanly, and it answers what Langfuse's ClickHouse client sent in a real run
// (requests recorded by the front itself with FRONT_RECORD, replayed here).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickhouseMigrations, migrateClickhouse } from '../../infra/langfuse/migrate.ts';
import { resolveChdbPython } from '../../infra/langfuse/prerequisites.ts';
import { cacheRoot, langfuseSource, REPO_ROOT, releaseArchive } from '../../infra/langfuse/source.ts';
import { freePort, ManagedProcess } from '../../infra/local/process.ts';

const USER = 'clickhouse';
const PASSWORD = 'front-test-password';
const MINUTE = 60_000;

interface Recorded {
  method: string;
  params: Record<string, string>;
  body: string;
  status: number;
  response: string;
}

const fixtures = readFileSync(join(REPO_ROOT, 'test/fixtures/clickhouse-front/langfuse-3.225.4.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as Recorded);

const work = mkdtempSync(join(tmpdir(), 'tracelab-front-'));
const progress = (line: string) => process.stderr.write(`[front test] ${line}\n`);

async function startFront(name: string, compatibility = '25.12'): Promise<{ url: string; process: ManagedProcess }> {
  const python = await resolveChdbPython(join(cacheRoot(), 'tools'), progress, process.env);
  const port = await freePort();
  const data = join(work, name);
  mkdirSync(data, { recursive: true });
  const proc = await ManagedProcess.start({
    name: `clickhouse-front-${name}`,
    command: python,
    args: [join(REPO_ROOT, 'apps/clickhouse-front/server.py')],
    env: { FRONT_PORT: String(port), FRONT_DATA: data, FRONT_USER: USER, FRONT_PASSWORD: PASSWORD, FRONT_COMPATIBILITY: compatibility, TZ: 'UTC' },
    readyUrl: `http://127.0.0.1:${port}/ping`,
    readyTimeoutMs: 60_000,
  });
  return { url: `http://127.0.0.1:${port}`, process: proc };
}

/** The release's ClickHouse migrations, unpacked from the archive (nothing else of it). */
async function migrationsOf(major: 3 | 4): Promise<string> {
  const archive = await releaseArchive(langfuseSource(major), progress);
  const dir = join(work, `src-${major}`);
  mkdirSync(dir, { recursive: true });
  const tar = spawnSync('tar', ['-xzf', archive, '-C', dir, '--strip-components=1', '--wildcards', '*/packages/shared/clickhouse/migrations/unclustered/*']);
  if (tar.status !== 0) throw new Error(`cannot unpack migrations: ${tar.stderr}`);
  return dir;
}

/** Replays a recorded request as the client sent it (query text in the body, the rest as URL parameters). */
async function replay(url: string, r: Recorded, params: Record<string, string> = r.params) {
  const response = await fetch(`${url}/?${new URLSearchParams(params)}`, {
    method: r.method,
    headers: { 'X-ClickHouse-User': USER, 'X-ClickHouse-Key': PASSWORD },
    body: r.method === 'POST' ? r.body : undefined,
  });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

const queryOf = (r: Recorded) => r.params.query ?? r.body;

describe('clickhouse-front', () => {
  const fronts: ManagedProcess[] = [];
  let v3: string;

  beforeAll(async () => {
    const front = await startFront('v3');
    fronts.push(front.process);
    v3 = front.url;
  }, 10 * MINUTE);

  afterAll(async () => {
    for (const f of fronts) await f.stop(10_000);
    rmSync(work, { recursive: true, force: true });
  });

  it(
    'applies every Langfuse 3 ClickHouse migration, and a second run applies none',
    async () => {
      const src = await migrationsOf(3);
      const target = { url: v3, user: USER, password: PASSWORD };
      expect(await migrateClickhouse(src, target, () => {})).toBe(clickhouseMigrations(src).length);
      expect(await migrateClickhouse(src, target, () => {})).toBe(0);
    },
    5 * MINUTE,
  );

  it(
    'applies every Langfuse 4 ClickHouse migration',
    async () => {
      const front = await startFront('v4');
      fronts.push(front.process);
      const src = await migrationsOf(4);
      expect(await migrateClickhouse(src, { url: front.url, user: USER, password: PASSWORD }, () => {})).toBe(clickhouseMigrations(src).length);
    },
    5 * MINUTE,
  );

  it("answers the requests Langfuse's client sent in a real run, with the statuses it got then", async () => {
    for (const r of fixtures.filter((f) => !/^(SELECT count|with clickhouse_keys)/.test(queryOf(f)))) {
      const { status, text } = await replay(v3, r);
      expect(status, `${queryOf(r).slice(0, 60)}: ${text}`).toBe(r.status);
      if (queryOf(r).startsWith('SELECT version()')) expect(JSON.parse(text).version).toMatch(/^\d+\.\d+/);
    }
  });

  it("counts and lists what the client inserted, by the client's own queries (epoch-ms times stored right)", async () => {
    const insert = fixtures.find((f) => queryOf(f).startsWith('INSERT INTO observations'))!;
    const rows = insert.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { environment: string; start_time: number });
    const environment = rows[0].environment;
    const withEnvironment = (r: Recorded) =>
      Object.fromEntries(Object.entries(r.params).map(([k, v]) => [k, k.startsWith('param_stringOptionsFilter') ? `['${environment}']` : v]));
    const count = fixtures.find((f) => queryOf(f).startsWith('SELECT count'))!;
    const counted = await replay(v3, count, withEnvironment(count));
    expect(counted.status, counted.text).toBe(200);
    expect(Number(JSON.parse(counted.text).count)).toBe(rows.filter((r) => r.environment === environment).length);

    const list = fixtures.find((f) => queryOf(f).startsWith('with clickhouse_keys'))!;
    const listed = await replay(v3, list, withEnvironment(list));
    expect(listed.status, listed.text).toBe(200);
    const first = JSON.parse(listed.text.trim().split('\n')[0]) as { environment: string; start_time: string };
    expect(first.environment).toBe(environment);
    // ClickHouse 26 defaults stored the worker's epoch-ms DateTime64 as 9999-12-31 (FACTS.md).
    expect(first.start_time.slice(0, 4)).toBe(new Date(Math.max(...rows.map((r) => r.start_time))).toISOString().slice(0, 4));
  });

  it("speaks ClickHouse's error shape: status, exception-code header, 'Code: N. DB::Exception'", async () => {
    const wrong = await fetch(`${v3}/?query=SELECT%201`, { headers: { 'X-ClickHouse-User': USER, 'X-ClickHouse-Key': 'nope' } });
    expect(wrong.status).toBe(403);
    expect(wrong.headers.get('x-clickhouse-exception-code')).toBe('516');
    expect(await wrong.text()).toMatch(/^Code: 516\. DB::Exception: .*\(AUTHENTICATION_FAILED\)/);
    const missing = await replay(v3, { method: 'POST', params: {}, body: 'SELECT * FROM no_such_table', status: 0, response: '' });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-clickhouse-exception-code')).toBe('60');
    expect(missing.text).toMatch(/Code: 60\. DB::Exception: .*\(UNKNOWN_TABLE\)/);
  });

  it('reads a chunked INSERT body and keeps the connection usable for the next request', async () => {
    await replay(v3, { method: 'POST', params: {}, body: 'CREATE TABLE chunked (a String) ENGINE = MergeTree ORDER BY a', status: 0, response: '' });
    const agent = new (await import('node:http')).Agent({ keepAlive: true, maxSockets: 1 });
    const send = (path: string, chunks: string[]) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(`${v3}${path}`, { method: 'POST', agent, headers: { 'X-ClickHouse-User': USER, 'X-ClickHouse-Key': PASSWORD } }, (res) => {
          let body = '';
          res.on('data', (d) => (body += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        for (const c of chunks) req.write(c); // no Content-Length: Node sends chunked
        req.end();
      });
    const inserted = await send(`/?query=${encodeURIComponent('INSERT INTO chunked FORMAT JSONEachRow')}`, ['{"a":"x"}\n', '{"a":"y"}\n']);
    expect(inserted.status, inserted.body).toBe(200);
    const counted = await send('/', ['SELECT count() AS n FROM chunked FORMAT JSONEachRow']);
    expect(counted).toEqual({ status: 200, body: '{"n":2}\n' });
    agent.destroy();
  });
});
