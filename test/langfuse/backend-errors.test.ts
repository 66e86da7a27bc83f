// A Langfuse backend that cannot be used fails before any load is sent, naming what to fix.
// (The wrong-key case needs a real Langfuse: see local-langfuse.test.ts.)
import { mkdtempSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LangfuseApi } from '../../infra/langfuse/public-api.ts';
import { keysFromEnv, langfuseBackend } from '../../infra/local/backend.ts';
import { runExperiment } from '../../infra/experiment/run.ts';
import { freePort } from '../../infra/local/process.ts';
import { defaultDoc } from '../support/lab.ts';

const keys = { publicKey: 'pk-lf-0123456789abcdef', secretKey: 'sk-lf-0123456789abcdef' };

describe('a Langfuse backend that cannot be used', () => {
  it('an unreachable URL fails fast, naming the URL and what to do', async () => {
    const url = `http://127.0.0.1:${await freePort()}`; // nothing listens there
    const started = Date.now();
    const error = await langfuseBackend(url, keys).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(`Langfuse at ${url} is unreachable`);
    expect((error as Error).message).toMatch(/LANGFUSE_BASE_URL|langfuse up/);
    expect(Date.now() - started).toBeLessThan(6000);
  });

  it('a URL that answers but is not Langfuse says so', async () => {
    const { createServer } = await import('node:http');
    const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>hi</html>'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const address = server.address() as { port: number };
    try {
      await expect(new LangfuseApi(`http://127.0.0.1:${address.port}`, keys).health()).rejects.toThrow(/did not answer JSON; is this a Langfuse URL/);
    } finally {
      server.close();
    }
  });

  it('missing keys are named before anything starts', () => {
    expect(() => keysFromEnv({ LANGFUSE_PUBLIC_KEY: 'pk-lf-x' })).toThrow(/LANGFUSE_SECRET_KEY/);
    expect(() => keysFromEnv({})).toThrow(/LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY/);
  });

  it('the lab stops before any app starts or any load is sent', async () => {
    const results = mkdtempSync(join(tmpdir(), 'tracelab-backend-'));
    const url = `http://127.0.0.1:${await freePort()}`;
    try {
      const lab = runExperiment({
        doc: defaultDoc(),
        resultsRoot: results,
        runId: 'unreachable',
        quick: true,
        progress: () => {},
        backend: { kind: 'langfuse', url, keys },
      });
      await expect(lab).rejects.toThrow(url);
      const samples = join(results, 'unreachable', 'raw', 'samples');
      expect(existsSync(samples) ? readdirSync(samples) : []).toEqual([]);
      expect(readdirSync(join(results, 'unreachable', 'logs'))).toEqual([]);
    } finally {
      rmSync(results, { recursive: true, force: true });
    }
  });
});
