// An experiment on the local lab: rounds of every topology in a new seeded order each round,
// until the spec's rounds are done — or, with load.precision, until every traced topology's
// Δp99 interval is narrow enough or the budget ends. Ctrl-C or SIGTERM stops the slot in
// progress, stops every process the lab started and keeps what was measured, marked as
// interrupted. Writes results/<run-id>/raw/record.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { durationMs } from '../../contracts/duration.ts';
import { latencyMs } from '../../contracts/spec/fields.ts';
import type { TraceLab } from '../../contracts/spec/schema.ts';
import { p99HalfWidths } from '../analysis/precision.ts';
import type { PrecisionRecord, RunRecord, SlotRecord } from '../load/record.ts';
import type { BackendChoice } from '../local/backend.ts';
import { LocalLab } from '../local/lab.ts';
import type { SlotOverrides } from '../local/slot.ts';
import type { SweepRecord } from '../load/sweep-record.ts';
import type { Progress } from '../tools/resolve.ts';
import { roundOrder } from './order.ts';
import { stopReason } from './precision.ts';

export interface ExperimentOptions {
  readonly doc: TraceLab;
  /** Root of all runs, e.g. "results". */
  readonly resultsRoot: string;
  readonly runId: string;
  readonly quick?: boolean;
  readonly progress: Progress;
  /** Default: ingest-sink, started for the run. */
  readonly backend?: BackendChoice;
  /** A sweep: what it varies (recorded) and each variant's workload and load. */
  readonly sweep?: { readonly record: SweepRecord; readonly overrides: ReadonlyMap<string, SlotOverrides> };
}

/** The most rounds the precision loop may add (the schema's limit). */
const MAX_ROUNDS = 200;

/**
 * `--quick`: three short rounds — the fewest an interval needs, with ≥1000 samples for p99. A
 * fault run keeps its timing (the faults are placed in it) and runs one round.
 */
export function quickDoc(doc: TraceLab): TraceLab {
  if (doc.spec.faults.length > 0) return { ...doc, spec: { ...doc.spec, load: { ...doc.spec.load, rounds: 1, precision: undefined } } };
  return { ...doc, spec: { ...doc.spec, load: { ...doc.spec.load, rounds: 3, duration: '7s', warmup: '2s', precision: undefined } } };
}

export async function runExperiment(options: ExperimentOptions): Promise<{ runDir: string; record: RunRecord }> {
  const doc = options.quick ? quickDoc(options.doc) : options.doc;
  const { load } = doc.spec;
  const say = options.progress;
  const runDir = join(options.resultsRoot, options.runId);
  mkdirSync(join(runDir, 'raw'), { recursive: true });
  mkdirSync(join(runDir, 'config'), { recursive: true });
  mkdirSync(join(runDir, 'logs'), { recursive: true });
  const startedAt = new Date().toISOString();
  const started = Date.now();

  const controller = new AbortController();
  let interruptedBy: string | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interruptedBy) return;
    interruptedBy = signal;
    say(`${signal}: stopping the slot in progress and every process the lab started; what was measured is kept...`);
    controller.abort(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const slots: SlotRecord[] = [];
  const orders: string[][] = [];
  const history: Array<PrecisionRecord['history'][number]> = [];
  let stopped: PrecisionRecord['stopped'] | undefined;
  let round = 0;
  let lab: LocalLab | undefined;
  const snapshot = (finishedAt = new Date().toISOString()): RunRecord => ({
    runId: options.runId,
    startedAt,
    finishedAt,
    target: 'local',
    backend: lab!.backend.info.kind,
    backendInfo: { url: lab!.backend.info.url, version: lab!.backend.info.version, note: lab!.backend.info.note },
    sinkMode: lab!.backend.info.sinkMode,
    quick: Boolean(options.quick),
    doc,
    machine: lab!.machine,
    pinning: lab!.pinning,
    tools: lab!.tools,
    seed: options.runId,
    orders,
    // Which app served each topology (every slot of a topology runs the same app).
    apps: Object.fromEntries(slots.flatMap((s) => (s.servedBy ? [[s.topology, s.servedBy] as const] : []))),
    slots,
    ...(interruptedBy ? { interrupted: { signal: interruptedBy, duringRound: round } } : {}),
    ...(options.sweep ? { sweep: options.sweep.record } : {}),
    ...(load.precision
      ? { precision: { targetMs: latencyMs(load.precision), budgetMs: durationMs(load.budget), stopped: stopped ?? 'interrupted', history } }
      : {}),
  });

  try {
    lab = await LocalLab.start({
      doc,
      runId: options.runId,
      runDir,
      progress: say,
      signal: controller.signal,
      backend: options.backend,
      overrides: options.sweep?.overrides,
    });
    const names = doc.spec.topologies.map((t) => t.name);
    const slotSeconds = (durationMs(load.warmup) + durationMs(load.duration)) / 1000 + 2;
    say(
      `Load: ${load.scenario === 'closed' ? `closed model, ${load.vus} users (think time ${load.thinkTime})` : `${load.scenario} at ${load.rate} req/s`}, ${load.warmup} warm-up + ${load.duration} measured per slot, ${load.rounds} round(s) × ${names.length} topologies ≈ ${Math.ceil((slotSeconds * load.rounds * names.length) / 60)} min${load.precision ? `, then more rounds until every Δp99 interval is ±${load.precision} or ${load.budget} have passed` : ''}; a new order each round`,
    );
    while (!controller.signal.aborted) {
      round++;
      const order = roundOrder(names, options.runId, round);
      orders.push(order);
      for (const [i, name] of order.entries()) {
        if (controller.signal.aborted) break;
        slots.push(await lab.runSlot(name, round, i + 1));
      }
      if (controller.signal.aborted) break;
      if (!load.precision) {
        if (round >= load.rounds) break;
        continue;
      }
      const halfWidthMs = round >= 3 ? p99HalfWidths(snapshot(), runDir) : {};
      if (round >= 3) history.push({ round, elapsedMs: Date.now() - started, halfWidthMs });
      const reason = stopReason({
        round,
        minRounds: load.rounds,
        maxRounds: MAX_ROUNDS,
        targetMs: latencyMs(load.precision),
        elapsedMs: Date.now() - started,
        budgetMs: durationMs(load.budget),
        halfWidthMs: round >= 3 ? halfWidthMs : { pending: null },
      });
      if (round >= 3)
        say(
          `  precision after round ${round}: Δp99 ± ${Object.entries(halfWidthMs)
            .map(([t, w]) => `${t} ${w === null ? 'n/a' : w.toFixed(2)}`)
            .join(', ')} ms (target ±${load.precision})`,
        );
      if (reason) {
        stopped = reason;
        break;
      }
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (lab) {
      // Late spans still count in the slot that made them: read every slot's final count.
      const finals = await lab.backendCounts(slots.map((s) => s.label)).catch(() => undefined);
      if (finals) {
        for (const [i, s] of slots.entries()) slots[i] = { ...s, backendFinal: finals.get(s.label) };
      }
      await lab.stop();
    }
  }
  if (!lab) throw new Error(`interrupted by ${interruptedBy} before the lab had started; nothing was measured`);
  const record = snapshot();
  writeFileSync(join(runDir, 'raw', 'record.json'), `${JSON.stringify(record, null, 2)}\n`);
  return { runDir, record };
}
