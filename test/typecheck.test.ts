// Type checks as tests, and each k6 scenario loaded by the real k6 binary.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { K6_OTLP_ENV } from '../contracts/k6-env.ts';
import { toolPath } from './support/binaries.ts';

const root = new URL('..', import.meta.url).pathname;
const tsc = (project: string) => spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', project], { cwd: root, encoding: 'utf8' });

describe('type checks', { timeout: 120_000 }, () => {
  it('the project type-checks (strict)', () => {
    const result = tsc('tsconfig.json');
    expect(result.status, result.stdout).toBe(0);
  });

  it('the k6 scripts type-check against @types/k6', () => {
    const result = tsc('k6/tsconfig.json');
    expect(result.status, result.stdout).toBe(0);
  });
});

describe('k6 scenarios', () => {
  const scenarios = readdirSync(join(root, 'k6/scenarios')).filter((f) => f.endsWith('.ts'));
  const inspect = (file: string, vars: Record<string, string>) => {
    const result = spawnSync(toolPath('k6'), ['inspect', ...Object.entries(vars).flatMap(([k, v]) => ['-e', `${k}=${v}`]), join(root, 'k6/scenarios', file)], {
      encoding: 'utf8',
      env: { ...process.env, K6_NO_USAGE_REPORT: 'true' },
    });
    expect(result.status, result.stderr).toBe(0);
    return JSON.parse(result.stdout);
  };

  it('cover steady, ramp, spike and soak (open model), closed, and OTLP straight into a collector', () => {
    expect(scenarios.sort()).toEqual(['closed.ts', 'otlp.ts', 'ramp.ts', 'soak.ts', 'spike.ts', 'steady.ts']);
  });

  it('closed.ts loads in k6: constant concurrent users for warm-up plus measured phase, in one scenario', () => {
    const options = inspect('closed.ts', { TARGET_URL: 'http://127.0.0.1:9', VUS: '100', DURATION: '30s', WARMUP: '5s', THINK_TIME: '0ms' });
    expect(Object.keys(options.scenarios)).toEqual(['closed']);
    expect(options.scenarios.closed).toMatchObject({ executor: 'constant-vus', vus: 100, duration: '35s' });
    expect(Object.keys(options.thresholds)).toEqual(
      expect.arrayContaining(['http_req_failed{phase:measure}', 'http_req_duration{phase:measure,expected_response:true}']),
    );
  });

  it.each(scenarios.filter((f) => f !== 'closed.ts'))(
    '%s loads in k6: an open-model measured phase after a warm-up, thresholds on drops and errors',
    (file) => {
      // The OTLP scenario posts a pre-encoded batch: any file will do for inspect.
      const vars = { TARGET_URL: 'http://127.0.0.1:9', RATE: '10', DURATION: '30s', WARMUP: '5s', [K6_OTLP_ENV.bodyFile]: join(root, 'package.json') };
      const result = spawnSync(
        toolPath('k6'),
        ['inspect', ...Object.entries(vars).flatMap(([k, v]) => ['-e', `${k}=${v}`]), join(root, 'k6/scenarios', file)],
        {
          encoding: 'utf8',
          env: { ...process.env, K6_NO_USAGE_REPORT: 'true' },
        },
      );
      expect(result.status, result.stderr).toBe(0);
      const options = JSON.parse(result.stdout);
      expect(options.scenarios.warmup.tags.phase).toBe('warmup');
      expect(options.scenarios.measure).toMatchObject({ startTime: '5s', tags: { phase: 'measure' } });
      expect(options.scenarios.measure.executor).toMatch(/arrival-rate$/);
      expect(Object.keys(options.thresholds)).toEqual(expect.arrayContaining(['dropped_iterations{phase:measure}', 'http_req_failed{phase:measure}']));
    },
  );
});
