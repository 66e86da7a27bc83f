// Runs `tracelab lab` for real on a fault spec (real k6, collectors, apps, sink) and reads
// back what it wrote: the raw record and results.json.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Results } from '../../infra/analysis/results.ts';
import type { RunRecord, SlotRecord } from '../../infra/load/record.ts';
import { minimal } from '../support/specs.ts';

const root = new URL('../..', import.meta.url).pathname;

export interface FaultRun {
  readonly status: number | null;
  readonly output: string;
  readonly runDir: string;
  readonly record: RunRecord;
  readonly results: Results;
  slot(topology: string): SlotRecord;
}

/** `spec`: the body of spec: (indented two spaces), as in test/support/specs.ts. */
export function runFaultLab(name: string, spec: string, args: string[] = [], timeoutMs = 280_000): FaultRun {
  const dir = mkdtempSync(join(tmpdir(), `tracelab-${name}-`));
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, minimal(spec));
  const result = spawnSync(
    process.execPath,
    [join(root, 'scripts/tracelab.ts'), 'lab', '--spec', file, '--results', join(dir, 'results'), '--run-id', name, ...args],
    {
      cwd: root,
      encoding: 'utf8',
      timeout: timeoutMs,
    },
  );
  const runDir = join(dir, 'results', name);
  const output = `${result.stdout}\n${result.stderr}`;
  const read = <T>(path: string): T => {
    try {
      return JSON.parse(readFileSync(join(runDir, path), 'utf8')) as T;
    } catch (error) {
      throw new Error(`${path} of the run is missing (${(error as Error).message}); the run said:\n${output.slice(-3000)}`);
    }
  };
  const record = read<RunRecord>('raw/record.json');
  return {
    status: result.status,
    output,
    runDir,
    record,
    results: read<Results>('results.json'),
    slot: (topology) => {
      const slot = record.slots.find((s) => s.topology === topology);
      if (!slot) throw new Error(`no slot of ${topology}`);
      return slot;
    },
  };
}

/** Where a slot's spans went, from the app's and the collector's own counters. */
export function countedCauses(slot: SlotRecord): number {
  return slot.app.spansDropped + slot.app.spansExportFailed + (slot.collector?.enqueueFailedSpans ?? 0) + (slot.collector?.sendFailedSpans ?? 0);
}

/** Topology settings every fault test uses: short flushes so the slots end quickly. */
export const FAST_APP = `  app: { workload: { llmLatency: 20ms, llmJitter: 5ms } }
  collector: { retry: { initialInterval: 500ms, maxInterval: 1s, maxElapsedTime: 60s } }`;
