// The closed-model scenario with real k6 against the real app: a constant number of users,
// and only requests of the measured phase in the samples (the phase is a per-request tag
// there, not a scenario name as in the open-model scenarios).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSpec } from '../../contracts/spec/read.ts';
import { runK6Slot } from '../../infra/load/k6-run.ts';
import { startTarget } from '../../infra/local/services.ts';
import { toolPath } from '../support/binaries.ts';
import { settingsFor } from '../support/lab.ts';
import { minimal } from '../support/specs.ts';

describe('closed model (k6/scenarios/closed.ts)', { timeout: 60_000 }, () => {
  it('keeps VUS users busy and records only the measured phase', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracelab-closed-'));
    const load = parseSpec(minimal('  load: { scenario: closed, vus: 4, thinkTime: 20ms, warmup: 2s, duration: 3s }')).spec.load;
    const app = await startTarget(settingsFor('baseline', undefined, { workload: { llmLatencyMs: 30, llmJitterMs: 0 } }));
    const startedMs = Date.now();
    try {
      const outcome = await runK6Slot({
        k6: toolPath('k6'),
        load,
        targetUrl: app.url,
        topology: 'baseline',
        round: 1,
        rawCsv: join(dir, 'raw.csv'),
        summaryJson: join(dir, 'summary.json'),
        samplesPath: join(dir, 'samples.csv'),
        samplesFile: 'samples.csv',
        logFile: join(dir, 'k6.log'),
      });
      // 4 users, each ~30 ms + 20 ms think: about 80 requests a second for 3 s.
      expect(outcome.failed).toBe(0);
      expect(outcome.requests).toBeGreaterThan(3 * 4 * 8);
      expect(outcome.requests).toBeLessThan(3 * 4 * 25);
      expect(outcome.k6Summary?.count).toBe(outcome.requests); // k6's own count of phase=measure
      const times = readFileSync(join(dir, 'samples.csv'), 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => Number(l.split(',')[0]));
      expect(Math.min(...times)).toBeGreaterThan(startedMs + 2000 - 200); // nothing of the warm-up
      const metrics = await (await fetch(`${app.url}/metrics`)).text();
      const served = Number(/outcome="ok"} (\d+)/.exec(metrics)?.[1]);
      expect(served).toBeGreaterThan(outcome.requests); // the warm-up's requests were served too
    } finally {
      await app.process.stop();
    }
  });
});
