// No secret value ever lands in a log, in results/ or in synthesized files. Given a real lab
// run (queue mode: Redis and MinIO with per-run passwords, the sink's key and salt, the
// collectors' Basic auth) with a fault that makes components log errors, the test learns the
// run's actual secret values from its own processes' environments while they run (/proc), then
// scans every file the run and `tracelab synth` wrote — and the CLI's output — for each of
// them, raw and base64-encoded.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { minimal } from './support/specs.ts';

const root = new URL('..', import.meta.url).pathname;
const cli = join(root, 'scripts/tracelab.ts');
const SECRET_ENV = ['LANGFUSE_SECRET_KEY', 'LANGFUSE_BASIC_AUTH', 'SINK_S3_SECRET_ACCESS_KEY', 'SINK_SALT', 'SINK_REDIS_URL', 'MINIO_ROOT_PASSWORD'];

/** Every live process below `pid`, with its environment. */
function descendantEnvs(pid: number): Array<Record<string, string>> {
  const parent = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parent.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const out: Array<Record<string, string>> = [];
  for (const [child] of parent) {
    let p = parent.get(child);
    while (p !== undefined && p > 1 && p !== pid) p = parent.get(p);
    if (p !== pid) continue;
    try {
      const pairs = readFileSync(`/proc/${child}/environ`, 'utf8').split('\0').filter(Boolean);
      out.push(Object.fromEntries(pairs.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)])));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

describe.runIf(process.platform === 'linux')('secrets of a real run', { timeout: 240_000 }, () => {
  it('appear in no log, no results file, no synthesized file and not in the output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracelab-secrets-'));
    const spec = join(dir, 'secrets.yaml');
    writeFileSync(
      spec,
      minimal(`  app: { workload: { llmLatency: 20ms, llmJitter: 5ms } }
  topologies: [{ topology: baseline }, { topology: inprocess, sdk: { flushInterval: 500ms } }, { topology: collector, sdk: { flushInterval: 500ms } }]
  load: { rate: 10, warmup: 1s, duration: 4s, rounds: 1, interference: { retries: 0 } }
  faults: [{ kind: backend-errors, at: 1s, duration: 2s, ratio: 1, status: 500 }]`),
    );
    const lab = spawn(process.execPath, [cli, 'lab', '--spec', spec, '--results', join(dir, 'results'), '--run-id', 'secrets'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    lab.stdout.on('data', (c) => (output += c));
    lab.stderr.on('data', (c) => (output += c));
    const exited = new Promise<number | null>((resolve) => lab.on('exit', resolve));
    const found = new Map<string, string>();
    // Read the secrets while the run's processes live (bounded: the run or 200 s).
    const deadline = Date.now() + 200_000;
    let done = false;
    void exited.then(() => (done = true));
    while (!done && Date.now() < deadline) {
      for (const env of descendantEnvs(lab.pid!)) for (const name of SECRET_ENV) if (env[name]) found.set(name, env[name]);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(await exited, output.slice(-3000)).toBe(0);
    for (const name of ['LANGFUSE_SECRET_KEY', 'LANGFUSE_BASIC_AUTH', 'SINK_S3_SECRET_ACCESS_KEY', 'SINK_SALT', 'SINK_REDIS_URL', 'MINIO_ROOT_PASSWORD'])
      expect(found.has(name), `${name} was never seen in the run's processes`).toBe(true);

    const secrets = new Set<string>();
    for (const [name, value] of found) {
      const plain = name === 'SINK_REDIS_URL' ? decodeURIComponent(new URL(value).password) : value;
      secrets.add(plain);
      secrets.add(Buffer.from(plain).toString('base64'));
    }
    for (const s of secrets) expect(s.length, 'a secret too short to scan for').toBeGreaterThanOrEqual(12);

    const synthOut = join(dir, 'dist');
    const synth = spawnSync(process.execPath, [cli, 'synth', '--spec', spec, '--out', synthOut], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(synth.status, synth.stderr).toBe(0);

    const scanned = [...files(join(dir, 'results')), ...files(synthOut)];
    expect(scanned.some((f) => f.endsWith('ingest-sink.log'))).toBe(true);
    expect(scanned.some((f) => f.endsWith('minio.log'))).toBe(true);
    expect(scanned.some((f) => f.endsWith('redis.log'))).toBe(true);
    const leaks: string[] = [];
    for (const file of scanned) {
      const text = readFileSync(file, 'latin1');
      for (const secret of secrets) if (text.includes(secret)) leaks.push(`${file} contains a secret (${secret.slice(0, 4)}…)`);
    }
    for (const secret of secrets) if (output.includes(secret) || synth.stdout.includes(secret)) leaks.push('the CLI output contains a secret');
    expect(leaks).toEqual([]);
    expect(scanned.length).toBeGreaterThan(20);
  });
});
