// Given a real lab, when the app under test gets SIGTERM under load (and is started again on
// its port) and the node agent is SIGKILLed (and started again), then the app's counts are
// carried across its restart — the sink holds every span both instances ended — and requests
// sent while it was down fail and are counted as failed during the fault.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FAST_APP, type FaultRun, countedCauses, runFaultLab } from './run.ts';

describe('app restart and agent crash on a real lab', { timeout: 300_000 }, () => {
  let run: FaultRun;
  beforeAll(() => {
    run = runFaultLab(
      'process-faults',
      `${FAST_APP}
  topologies:
    - topology: baseline
    - { topology: inprocess, sdk: { flushInterval: 500ms } }
    - { topology: agent, sdk: { flushInterval: 500ms } }
  load: { rate: 20, warmup: 1s, duration: 10s, rounds: 1, interference: { retries: 0 } }
  faults:
    - { kind: app-restart, at: 2s, duration: 1s }
    - { kind: collector-crash, at: 6s, duration: 2s }`,
    );
  }, 300_000);

  it('completes; the app was restarted in every slot, the agent killed in its own', () => {
    expect(run.status, run.output.slice(-3000)).toBe(0);
    for (const topology of ['baseline', 'inprocess', 'agent']) {
      const restart = run.slot(topology).faultRun!.faults.find((f) => f.kind === 'app-restart')!;
      expect(restart, topology).toMatchObject({ applied: true, target: 'app' });
      expect(restart.endedMs! - restart.startedMs!).toBeGreaterThanOrEqual(1000);
      // Both instances wrote to the slot's log; the first said how it drained.
      expect(readFileSync(join(run.runDir, 'logs', `app-${topology}-r1.log`), 'utf8')).toMatch(/"event":"drained"/);
    }
    expect(run.slot('agent').faultRun!.faults.find((f) => f.kind === 'collector-crash')!.target).toBe('otelcol-agent');
  });

  it("carries the exited instance's counts: spans ended = 6 per request handled, and the sink holds them all (SIGTERM flushes)", () => {
    const slot = run.slot('inprocess');
    expect(slot.app.requests).toBeGreaterThan(150); // both instances: ~20 req/s × 11 s, less the downtime
    expect(slot.app.spansEnded).toBe(6 * slot.app.requests);
    expect(slot.backendFinal!.spans).toBe(slot.app.spansEnded);
  });

  it('requests sent while the app was down failed, and count as failed during the fault', () => {
    for (const name of ['baseline', 'inprocess', 'agent']) {
      const f = run.results.topologies.find((t) => t.name === name)!.faults!;
      expect(f.latency.failedDuring, name).toBeGreaterThan(0);
      // A request that started a moment before the SIGTERM and reached the draining app gets
      // its 503 too: the window's edge is fuzzy by a round trip, never by more than a few.
      expect(f.latency.failedOutside, name).toBeLessThanOrEqual(3);
      expect(f.latency.failedDuring, name).toBeGreaterThan(f.latency.failedOutside);
    }
  });

  it("the agent's loss, if any, is the crash's: the sink count plus the counters plus lost-in-crash is every span ended", () => {
    const slot = run.slot('agent');
    const f = run.results.topologies.find((t) => t.name === 'agent')!.faults!;
    expect(slot.app.spansEnded - slot.backendFinal!.spans).toBe(countedCauses(slot) + f.causes.lostInCrash);
    expect(f.causes.lostInCrash).toBeGreaterThanOrEqual(0);
  });
});
