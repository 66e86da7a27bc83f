// The local Langfuse's env contract and its small pure parts, without starting anything.
import { describe, expect, it } from 'vitest';
import { requiredLangfuseEnv } from '../../contracts/langfuse-env.ts';
import { slotEnvironment } from '../../contracts/slot-environment.ts';
import { splitStatements } from '../../infra/langfuse/migrate.ts';
import { generateSecrets } from '../../infra/langfuse/secrets.ts';
import { localServerEnv, resolveEnv } from '../../infra/langfuse/server-env.ts';
import { defaultDoc } from '../support/lab.ts';

const ports = { web: 21000, worker: 21001, postgres: 21002, redis: 21003, minio: 21004, minioConsole: 21005, clickhouse: 21006 };

describe('local Langfuse env (the charts builder with local endpoints)', () => {
  for (const version of [3, 4] as const) {
    for (const role of ['web', 'worker'] as const) {
      it(`v${version} ${role}: every variable Langfuse requires, resolved to plain values`, () => {
        const doc = defaultDoc();
        const spec = { ...doc.spec, langfuse: { ...doc.spec.langfuse, version } };
        const env = localServerEnv(spec, role, ports, generateSecrets(), 'http://127.0.0.1:21000');
        for (const name of requiredLangfuseEnv(version, role)) expect(env[name], name).toBeTruthy();
        expect(env.ENCRYPTION_KEY).toMatch(/^[0-9a-f]{64}$/);
        expect(env.NEXTAUTH_URL).toBe('http://127.0.0.1:21000');
        expect(env.DATABASE_URL).toMatch(/^postgresql:\/\/postgres:[0-9a-f]+@127\.0\.0\.1:21002\/postgres$/);
        expect(Object.values(env).join(' ')).not.toContain('$(');
        expect(env.HOSTNAME).toBe('127.0.0.1');
      });
    }
  }

  it('a Secret key the instance does not hold is an error naming variable and key', () => {
    const secrets = generateSecrets();
    expect(() => resolveEnv([['SALT', { secret: { name: 'tracelab-langfuse', key: 'nope' } }]], secrets)).toThrow(
      /SALT reads Secret tracelab-langfuse key nope/,
    );
  });
});

describe('slot environments', () => {
  it('fit Langfuse environment names: [a-z0-9_-], at most 40 characters, not starting with "langfuse"', () => {
    const env = slotEnvironment('20261123-201500-checkout-bot/inprocess-batch-64-with-a-long-name-r12');
    expect(env).toMatch(/^[a-z0-9_-]{1,40}$/);
    expect(env.startsWith('langfuse')).toBe(false);
  });
  it('are the same for one label and differ between labels', () => {
    expect(slotEnvironment('run-a/inprocess-r1')).toBe(slotEnvironment('run-a/inprocess-r1'));
    expect(slotEnvironment('run-a/inprocess-r1')).not.toBe(slotEnvironment('run-b/inprocess-r1'));
  });
});

describe('ClickHouse migration files', () => {
  it('split into statements on ";" at line ends, dropping comment-only parts', () => {
    const sql = 'CREATE TABLE a (x String) ENGINE = MergeTree ORDER BY x;\n-- a comment\nALTER TABLE a ADD COLUMN y String;\n';
    expect(splitStatements(sql)).toEqual(['CREATE TABLE a (x String) ENGINE = MergeTree ORDER BY x', '-- a comment\nALTER TABLE a ADD COLUMN y String']);
  });
});
