// The spec's capacity and sweep sections: defaults from the schema, errors that name the field.
import { describe, expect, it } from 'vitest';
import { SpecError, parseSpec } from '../../contracts/spec/read.ts';
import { minimal } from '../support/specs.ts';

function problems(text: string) {
  try {
    parseSpec(text, 'bad.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(SpecError);
    return (error as SpecError).problems.map((p) => `${p.line ?? '?'}: ${p.path}: ${p.message}`);
  }
  throw new Error('expected the spec to be rejected');
}

describe('load.slo and capacity', () => {
  it('have defaults a capacity run can use as they are', () => {
    const { spec } = parseSpec(minimal());
    expect(spec.load.slo).toEqual({ p99: '500ms', maxErrorRatio: 0.01, maxDroppedIterations: 0, maxSpanLossRatio: 0 });
    expect(spec.capacity).toMatchObject({
      startRate: 10,
      maxRate: 2000,
      growth: 2,
      resolution: 0.05,
      stepDuration: '10s',
      gateway: { enabled: true, spansPerBatch: 512 },
    });
    expect(spec.sweep).toBeUndefined();
  });

  it('refuse what cannot be searched, naming the field and line', () => {
    const found = problems(minimal('  load: { slo: { p99: fast, maxErrorRatio: 2 } }\n  capacity: { startRate: 100, maxRate: 50, growth: 1 }'));
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^6: spec\.load\.slo\.p99: must be a latency such as "0\.5ms"/),
        expect.stringMatching(/^6: spec\.load\.slo\.maxErrorRatio: must be at most 1 \(got 2\)$/),
        expect.stringMatching(/^7: spec\.capacity\.growth: must be at least 1\.1 \(got 1\)$/),
      ]),
    );
    expect(problems(minimal('  capacity: { startRate: 100, maxRate: 50 }'))).toEqual([
      expect.stringMatching(/spec\.capacity\.maxRate: must be >= capacity\.startRate \(100\)/),
    ]);
  });
});

describe('sweep', () => {
  it('holds knobs with their values; a misspelt field is refused with a suggestion', () => {
    const { spec } = parseSpec(minimal('  sweep: { vary: ["app.workload.payloadBytes=0,1KiB"] }'));
    expect(spec.sweep).toEqual({ vary: ['app.workload.payloadBytes=0,1KiB'] });
    expect(problems(minimal('  sweep: { varry: [] }'))).toEqual([expect.stringMatching(/spec\.sweep\.varry: unknown field `varry`\. Did you mean `vary`\?/)]);
    expect(problems(minimal('  sweep: { vary: [app.workload.payloadBytes] }'))).toEqual([
      expect.stringMatching(/spec\.sweep\.vary\[0\]: must be "<spec path>=<v1>,<v2>,\.\.\.", as --vary takes it/),
    ]);
  });
});
