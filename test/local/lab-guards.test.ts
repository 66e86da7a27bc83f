// The lab guards its figures and the machine: a slot during which another program burns the
// measured core is caught (re-run, then flagged), and Ctrl-C stops every process the lab
// started while keeping what it measured.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { interference, readCoreTimes } from '../../infra/local/interference.ts';
import type { RunRecord } from '../../infra/load/record.ts';
import { minimal } from '../support/specs.ts';

const root = new URL('../..', import.meta.url).pathname;
const cli = join(root, 'scripts/tracelab.ts');
const canPin = process.platform === 'linux' && cpus().length >= 2 && spawnSync('taskset', ['-c', '0', 'true']).status === 0;

describe('foreign load, computed', () => {
  it("is what a core was busy with beyond the lab's own processes on it, plus steal", () => {
    const stat = (cpu1: [number, number, number, number, number]) =>
      `cpu  0 0 0 0\ncpu0 100 0 100 800 0 0 0 0\ncpu1 ${cpu1[0]} ${cpu1[1]} ${cpu1[2]} ${cpu1[3]} 0 0 0 ${cpu1[4]}\n`;
    const before = readCoreTimes(stat([0, 0, 0, 1000, 0]));
    // Over 10 s of cpu1: 7 s user, 1 s system, 1 s idle, 1 s stolen by the hypervisor.
    const after = readCoreTimes(stat([700, 0, 100, 1100, 100]));
    const reading = interference(before, after, { '1': 3 }); // the app used 3 s there
    expect(reading.cores.cpu1).toEqual({ busy: 0.8, lab: 0.3, steal: 0.1, foreign: 0.5 + 0.1 });
    expect(reading.maxForeign).toBeCloseTo(0.6, 12);
  });
});

describe.runIf(canPin)('the real lab', { timeout: 180_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'tracelab-guards-'));

  it('re-runs a slot while another program burns the measured core, then keeps it flagged', () => {
    const spec = join(dir, 'burn.yaml');
    writeFileSync(
      spec,
      minimal(`  app: { workload: { llmLatency: 20ms, llmJitter: 5ms } }
  topologies: [{ topology: baseline }]
  load: { rate: 20, warmup: 1s, duration: 3s, rounds: 1, interference: { maxForeignShare: 0.3, retries: 1 } }`),
    );
    // A CPU burner pinned to the app's core (the last one) for the whole run, bounded in time.
    const appCore = String(cpus().length - 1);
    const burner = spawn('taskset', ['-c', appCore, process.execPath, '-e', 'const end = Date.now() + 60000; while (Date.now() < end);'], { stdio: 'ignore' });
    try {
      const run = spawnSync(process.execPath, [cli, 'lab', '--spec', spec, '--results', join(dir, 'results'), '--run-id', 'burn'], {
        cwd: root,
        encoding: 'utf8',
        timeout: 150_000,
      });
      expect(run.status, run.stdout + run.stderr).toBe(0);
      expect(run.stdout).toMatch(/other programs used \d+% of a core during baseline-r1; re-running it \(1\/1\)/);
      expect(run.stdout).toMatch(/kept and flagged/);
      const record = JSON.parse(readFileSync(join(dir, 'results', 'burn', 'raw', 'record.json'), 'utf8')) as RunRecord;
      const [slot] = record.slots;
      expect(slot.attempts).toBe(2);
      expect(slot.discarded[0].maxForeign).toBeGreaterThan(0.5);
      expect(slot.interference!.cores[`cpu${appCore}`].foreign).toBeGreaterThan(0.5);
      expect(readFileSync(join(dir, 'results', 'burn', 'report.md'), 'utf8')).toMatch(/Other programs used up to \d+% of a core/);
    } finally {
      burner.kill('SIGKILL');
    }
  });

  it('on Ctrl-C stops every process it started, keeps what it measured and marks the run interrupted', async () => {
    const spec = join(dir, 'long.yaml');
    writeFileSync(
      spec,
      minimal(`  app: { workload: { llmLatency: 20ms, llmJitter: 5ms } }
  topologies: [{ topology: baseline }, { topology: sidecar, sdk: { flushInterval: 500ms } }]
  load: { rate: 20, warmup: 1s, duration: 3s, rounds: 20, interference: { retries: 0 } }`),
    );
    const lab = spawn(process.execPath, [cli, 'lab', '--spec', spec, '--results', join(dir, 'results'), '--run-id', 'stopped'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    lab.stdout.on('data', (chunk) => (out += chunk));
    lab.stderr.on('data', (chunk) => (out += chunk));
    const exited = new Promise<number | null>((resolve) => lab.on('exit', (code) => resolve(code)));
    // Wait until round 2 has started (a whole round is kept), bounded.
    const deadline = Date.now() + 120_000;
    while (!/round 2\/20/.test(out) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    expect(out).toMatch(/round 2\/20/);
    const started = descendants(lab.pid!);
    expect(started.length).toBeGreaterThanOrEqual(3); // sink, sidecar collector, app (k6 too, at times)
    lab.kill('SIGINT');
    const code = await Promise.race([exited, new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 30_000))]);
    expect(code, out).toBe(130);
    expect(started.filter(alive), `still running after the lab exited: ${started.filter(alive).join(', ')}`).toEqual([]);
    const runDir = join(dir, 'results', 'stopped');
    const record = JSON.parse(readFileSync(join(runDir, 'raw', 'record.json'), 'utf8')) as RunRecord;
    expect(record.interrupted).toMatchObject({ signal: 'SIGINT' });
    expect(record.slots.length).toBeGreaterThanOrEqual(2);
    expect(existsSync(join(runDir, 'report.md'))).toBe(true);
    expect(readFileSync(join(runDir, 'report.md'), 'utf8')).toMatch(/Interrupted/);
  });
});

/** Every live process whose ancestry reaches `pid` (from /proc). */
function descendants(pid: number): number[] {
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
  const out: number[] = [];
  for (const [child] of parent) {
    for (let p = parent.get(child); p !== undefined && p > 1; p = parent.get(p)) {
      if (p === pid) {
        out.push(child);
        break;
      }
    }
  }
  return out;
}

function alive(pid: number): boolean {
  try {
    // A zombie has exited; only a running or sleeping process counts.
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
