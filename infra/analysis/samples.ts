// The analysis's view of a run's samples: per topology, one RoundSamples per round (its
// successful requests in time order and sorted), pooled over rounds, with failures counted
// apart. Reads only the raw record and the samples files the load stage wrote.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunRecord, SlotRecord } from '../load/record.ts';
import { readSamples } from '../load/samples.ts';
import type { RoundSamples } from './intervals.ts';

export interface TopologySamples {
  readonly slots: SlotRecord[];
  readonly rounds: RoundSamples[];
  /** Successful requests of every round, sorted. */
  readonly pooled: Float64Array;
  readonly requests: number;
  readonly failed: number;
}

export function readRecord(runDir: string): RunRecord {
  const file = join(runDir, 'raw', 'record.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (error as Error).message}`);
  }
  let record: RunRecord;
  try {
    record = JSON.parse(text) as RunRecord;
  } catch (error) {
    throw new Error(`${file} is not valid JSON (${(error as Error).message}); the run was cut off or the file edited`);
  }
  if (!record || !Array.isArray(record.slots) || !record.doc?.spec) throw new Error(`${file} is not a tracelab run record (no slots or spec)`);
  return record;
}

export function topologySamples(record: RunRecord, runDir: string): Map<string, TopologySamples> {
  const out = new Map<string, TopologySamples>();
  for (const topology of record.doc.spec.topologies) {
    const slots = record.slots.filter((s) => s.topology === topology.name).sort((a, b) => a.round - b.round);
    let failed = 0;
    let requests = 0;
    const rounds = slots.map((slot): RoundSamples => {
      const s = readSamples(join(runDir, slot.load.samplesFile));
      failed += s.failed;
      requests += s.latencyMs.length;
      const keep = Array.from(s.ok.keys()).filter((i) => s.ok[i] === 1);
      const latencyMs = Float64Array.from(keep, (i) => s.latencyMs[i]);
      return { round: slot.round, latencyMs, endMs: Float64Array.from(keep, (i) => s.endMs[i]), sorted: Float64Array.from(latencyMs).sort() };
    });
    const pooled = new Float64Array(rounds.reduce((n, r) => n + r.sorted.length, 0));
    let k = 0;
    for (const r of rounds) {
      pooled.set(r.sorted, k);
      k += r.sorted.length;
    }
    out.set(topology.name, { slots, rounds, pooled: pooled.sort(), requests, failed });
  }
  return out;
}

/** The baseline each topology is compared with. */
export function baselineName(record: RunRecord): string {
  const baseline = record.doc.spec.topologies.find((t) => t.topology === 'baseline');
  if (!baseline) throw new Error('the run has no baseline topology; overhead cannot be computed');
  return baseline.name;
}
