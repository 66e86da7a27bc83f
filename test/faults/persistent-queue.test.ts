// The persistent queue claim: given a real collector (gateway and sidecar) holding spans in
// its sending queue during a backend outage, when it is SIGKILLed and started again, then with
// the queue on disk (file_storage) nothing is lost, and without it what the queue held is lost
// — counted at the sink. The outage (9 s) and the crash (2 s) are short versions of the
// 60 s outage of `--preset outage`; the mechanism is the same.
import { beforeAll, describe, expect, it } from 'vitest';
import { FAST_APP, type FaultRun, countedCauses, runFaultLab } from './run.ts';

describe('collector SIGKILL during a backend outage', { timeout: 300_000 }, () => {
  let run: FaultRun;
  beforeAll(() => {
    const pq = 'collector: { persistentQueue: { enabled: true } }';
    run = runFaultLab(
      'persistent-queue',
      `${FAST_APP}
  topologies:
    - topology: baseline
    - { topology: collector, sdk: { flushInterval: 500ms } }
    - { topology: collector, name: collector-pq, sdk: { flushInterval: 500ms }, ${pq} }
    - { topology: sidecar, sdk: { flushInterval: 500ms } }
    - { topology: sidecar, name: sidecar-pq, sdk: { flushInterval: 500ms }, ${pq} }
  load: { rate: 20, warmup: 1s, duration: 13s, rounds: 1, interference: { retries: 0 } }
  faults:
    - { kind: backend-outage, at: 1s, duration: 9s }
    - { kind: collector-crash, at: 5s, duration: 2s }`,
    );
  }, 300_000);

  it('completes; each crash killed the collector of its own slot while its queue held spans', () => {
    expect(run.status, run.output.slice(-3000)).toBe(0);
    for (const [topology, role] of [
      ['collector', 'otelcol-gateway'],
      ['collector-pq', 'otelcol-gateway-collector-pq'],
      ['sidecar', 'otelcol-sidecar-sidecar'],
      ['sidecar-pq', 'otelcol-sidecar-sidecar-pq'],
    ]) {
      const crash = run.slot(topology).faultRun!.faults.find((f) => f.kind === 'collector-crash')!;
      expect(crash.target, topology).toBe(role);
      expect(crash.endedMs! - crash.startedMs!, topology).toBeGreaterThanOrEqual(2000);
      const held = crash.atKill!.acceptedSpans - crash.atKill!.sentSpans;
      expect(held, `${topology}: the queue was empty when killed, so this run proves nothing`).toBeGreaterThan(0);
    }
    expect(run.slot('baseline').faultRun!.faults.find((f) => f.kind === 'collector-crash')!.applied).toBe(false);
  });

  it('with the persistent queue, every span the app ended reached the sink', () => {
    for (const topology of ['collector-pq', 'sidecar-pq']) {
      const slot = run.slot(topology);
      expect(slot.app.spansEnded, topology).toBeGreaterThan(0);
      expect(slot.backendFinal!.spans, `${topology}: ${JSON.stringify({ app: slot.app, collector: slot.collector })}`).toBe(slot.app.spansEnded);
    }
  });

  it('without it, the spans the queue held were lost in the crash — and no counter but the crash explains them', () => {
    for (const topology of ['collector', 'sidecar']) {
      const slot = run.slot(topology);
      const lost = slot.app.spansEnded - slot.backendFinal!.spans;
      expect(lost, topology).toBeGreaterThan(0);
      const f = run.results.topologies.find((t) => t.name === topology)!.faults!;
      expect(f.causes.lostInCrash, topology).toBe(lost - countedCauses(slot));
      expect(f.causes.lostInCrash, topology).toBeGreaterThan(0);
    }
  });
});
