// A real Langfuse (web + worker built from the release source) with real Postgres, Redis,
// MinIO and the ClickHouse engine behind the HTTP front, started the way `tracelab langfuse
// up` does it, in a private instance folder. Builds are cached per user and version (the
// test run's global setup builds a missing one, with progress); a start takes ~20-60 s.
// TRACELAB_LANGFUSE_TESTS: off | 3 | 4 | both (default).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENVIRONMENT_ATTRIBUTE, slotEnvironment } from '../../contracts/slot-environment.ts';
import { isAlive } from '../../infra/langfuse/daemon.ts';
import { down, type InstanceState, readState, up } from '../../infra/langfuse/instance.ts';
import { LangfuseApi } from '../../infra/langfuse/public-api.ts';
import { readKeysFile } from '../../infra/langfuse/secrets.ts';
import { langfuseBackend } from '../../infra/local/backend.ts';
import { runExperiment } from '../../infra/experiment/run.ts';
import { defaultDoc } from '../support/lab.ts';
import { protobufBody, testTrace } from '../support/otlp-requests.ts';

const MINUTE = 60_000;
const VERSIONS = { 3: '3.225.4', 4: '4.16.0' } as const;

function testedMajors(): Array<3 | 4> {
  const setting = process.env.TRACELAB_LANGFUSE_TESTS ?? 'both';
  if (setting === 'off') return [];
  return setting === '3' ? [3] : setting === '4' ? [4] : [3, 4];
}

/** True when no process of the group led by `pid` is left (Postgres backends, Next.js workers). */
function groupEmpty(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return false;
  } catch {
    return true;
  }
}

for (const major of testedMajors()) describeInstance(major);
// With TRACELAB_LANGFUSE_TESTS=off no suite is made above, and a file without one fails the run.
if (testedMajors().length === 0) describe.skip('local Langfuse (TRACELAB_LANGFUSE_TESTS=off)', () => it('is not tested', () => {}));

function describeInstance(major: 3 | 4): void {
  describe(`local Langfuse ${major} (tracelab langfuse up)`, () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'tracelab-langfuse-'));
    const env = { ...process.env, TRACELAB_LANGFUSE_STATE: stateDir };
    const doc = defaultDoc();
    const spec = { ...doc.spec, langfuse: { ...doc.spec.langfuse, version: major } };
    const log: string[] = [];
    const progress = (line: string) => log.push(line);
    let state: InstanceState;
    let keys: { publicKey: string; secretKey: string };

    beforeAll(async () => {
      if (process.env.TRACELAB_LANGFUSE_SETUP_ERROR) throw new Error(`the local Langfuse could not be built: ${process.env.TRACELAB_LANGFUSE_SETUP_ERROR}`);
      state = await up({ spec, progress, env });
      keys = readKeysFile(state.keysFile);
    }, 15 * MINUTE);

    afterAll(async () => {
      await down(major, { env, progress, purge: true });
      rmSync(stateDir, { recursive: true, force: true });
    }, 2 * MINUTE);

    it('is healthy, reports its version, and never printed the secret key', async () => {
      const api = new LangfuseApi(state.baseUrl, keys);
      expect((await api.health()).version).toBe(VERSIONS[major]);
      expect(keys.publicKey).toMatch(/^pk-lf-[0-9a-f]{32}$/);
      expect(log.join('\n')).not.toContain(keys.secretKey);
    });

    it('an OTLP protobuf batch is counted through the public API', async () => {
      const environment = slotEnvironment(`test-${Date.now()}/otlp`);
      const spans = [...testTrace(40), ...testTrace(24)];
      const response = await fetch(`${state.baseUrl}/api/public/otel/v1/traces`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${keys.publicKey}:${keys.secretKey}`).toString('base64')}`,
          'content-type': 'application/x-protobuf',
          'x-langfuse-ingestion-version': '4',
        },
        body: protobufBody(spans, { [ENVIRONMENT_ATTRIBUTE]: environment }),
      });
      expect(response.status, await response.text()).toBe(200);
      const api = new LangfuseApi(state.baseUrl, keys);
      const deadline = Date.now() + MINUTE;
      let n = 0;
      while (n < spans.length && Date.now() < deadline) {
        n = await api.countObservations(environment, major, new Date(Date.now() - MINUTE));
        if (n < spans.length) await new Promise((r) => setTimeout(r, 250));
      }
      expect(n).toBe(spans.length);
    });

    it('a wrong key gets a clear error before any load is sent', async () => {
      const wrong = { publicKey: keys.publicKey, secretKey: `sk-lf-${'0'.repeat(32)}` };
      const error = await langfuseBackend(state.baseUrl, wrong).catch((e: Error) => e);
      expect((error as Error).message).toMatch(/rejected the API keys \(401; public key pk-lf-\w+…\w{4}\)/);
      expect((error as Error).message).not.toContain(wrong.secretKey);
    });

    // The lab and the broken env run on v3 only (CI time); v4 shares their code path.
    it.runIf(major === 3)(
      "the lab's quick run with the Langfuse backend loses no span on Langfuse's side",
      async () => {
        const results = mkdtempSync(join(tmpdir(), 'tracelab-lab-lf-'));
        try {
          const topologies = spec.topologies.filter((t) => ['baseline', 'inprocess', 'collector'].includes(t.topology));
          const quickDoc = { ...doc, spec: { ...spec, topologies } };
          const backend = { kind: 'langfuse' as const, url: state.baseUrl, keys };
          const { record } = await runExperiment({ doc: quickDoc, resultsRoot: results, runId: 'lf-quick', quick: true, progress, backend });
          expect(record.backend).toBe('langfuse');
          expect(record.backendInfo?.version).toBe(VERSIONS[major]);
          const traced = record.slots.filter((s) => s.kind !== 'baseline');
          expect(traced.length).toBeGreaterThan(0);
          for (const slot of traced) {
            expect(slot.app.spansEnded, slot.topology).toBeGreaterThan(0);
            expect(slot.backend.spans, `${slot.topology} r${slot.round}`).toBe(slot.app.spansEnded);
            expect(slot.backend.drainMs).toBeGreaterThanOrEqual(0);
          }
        } finally {
          rmSync(results, { recursive: true, force: true });
        }
      },
      8 * MINUTE,
    );

    it(
      'down stops every process up started, and nothing is left',
      async () => {
        const before = readState(major, env)?.daemons ?? [];
        expect(before.map((d) => d.name)).toEqual(['postgres', 'redis', 'minio', 'clickhouse-front', 'langfuse-worker', 'langfuse-web']);
        await down(major, { env, progress });
        for (const d of before) expect(isAlive(d), d.name).toBe(false);
        for (const d of before) expect(groupEmpty(d.pid), `${d.name} process group`).toBe(true);
        expect(readState(major, env)?.daemons).toEqual([]);
      },
      2 * MINUTE,
    );

    it.runIf(major === 3)(
      'the env contract broken on purpose (a 31-byte ENCRYPTION_KEY): Langfuse refuses to start and says why',
      async () => {
        const badKey = 'ab'.repeat(31);
        const error = await up({ spec, progress, env, envOverrides: { ENCRYPTION_KEY: badKey } }).catch((e: Error) => e);
        expect(error).toBeInstanceOf(Error);
        // Langfuse's own words, from its env schema, surfaced from the process's log.
        expect((error as Error).message).toContain('ENCRYPTION_KEY must be 256 bits, 64 string characters in hex format');
        expect((error as Error).message).toMatch(/exited while starting/);
        // The failed start stopped what it had started.
        expect(readState(major, env)?.daemons).toEqual([]);
        expect(existsSync(stateDir)).toBe(true);
      },
      6 * MINUTE,
    );
  });
}
