// Each traced topology is measured against the baseline of its own runtime (python: and
// event loop), never another runtime's.
import { describe, expect, it } from 'vitest';
import { parseSpec } from '../../contracts/spec/read.ts';
import { baselineFor } from '../../infra/analysis/baseline.ts';
import { minimal } from '../support/specs.ts';

describe('baselineFor', () => {
  const { topologies } = parseSpec(
    minimal(`  topologies:
    - { topology: baseline, name: base-node }
    - { topology: inprocess, name: node-in }
    - { topology: baseline, name: base-py, runtime: python }
    - { topology: collector, name: py3, runtime: python, sdkVersion: 3 }
    - { topology: baseline, name: base-py-uv, runtime: python, eventLoop: uvloop }
    - { topology: sidecar, name: py5-uv, runtime: python, eventLoop: uvloop }`),
  ).spec;
  const of = (name: string) => baselineFor(topologies, topologies.find((t) => t.name === name)!).name;

  it.each([
    ['node-in', 'base-node'],
    ['py3', 'base-py'],
    ['py5-uv', 'base-py-uv'],
    ['base-py', 'base-py'],
  ])('%s → %s', (topology, baseline) => {
    expect(of(topology)).toBe(baseline);
  });

  it('says so when a runtime has no baseline (validation prevents it; a hand-edited record might not)', () => {
    const lone = topologies.filter((t) => t.name !== 'base-py');
    expect(() => baselineFor(lone, topologies.find((t) => t.name === 'py3')!)).toThrow(/no baseline of runtime python\/asyncio for topology py3/);
  });
});
