import { describe, expect, it } from 'vitest';
import { pinningPlan } from '../../infra/local/machine.ts';

describe('machine', () => {
  it('pins the app under test to the last core and the rest to the others', () => {
    expect(pinningPlan(2, true)).toEqual({ app: '1', support: '0' });
    expect(pinningPlan(8, true)).toEqual({ app: '7', support: '0-6' });
    expect(pinningPlan(1, true)).toEqual({});
    expect(pinningPlan(8, false)).toEqual({});
  });
});
