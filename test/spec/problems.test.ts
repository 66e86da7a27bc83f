// How a problem is worded: the allowed fields where an unknown one was written (following
// lists and the datastore's mode), when a near miss is offered, and paths as a user writes them.
import { describe, expect, it } from 'vitest';
import { parseSpec, type SpecError } from '../../contracts/spec/read.ts';
import { z } from 'zod';
import { describeIssue, formatPath } from '../../contracts/spec/problems.ts';
import { minimal } from '../support/specs.ts';

function problem(spec: string, path: string): string {
  try {
    parseSpec(minimal(spec), 'p.yaml');
  } catch (error) {
    const found = (error as SpecError).problems.find((p) => p.path === path);
    if (found) return found.message;
    throw new Error(`no problem at ${path}: ${(error as Error).message}`);
  }
  throw new Error('expected the spec to be rejected');
}

describe('unknown fields', () => {
  it('lists the fields of the object it is in, inside a list entry', () => {
    expect(problem('  topologies: [{ topology: baseline, sdk: { batchsize: 5 } }]', 'spec.topologies[0].sdk.batchsize')).toBe(
      'unknown field `batchsize`. Did you mean `batchSize`? Allowed here: batchSize, flushInterval, queueSize, exportTimeout, exportMode, samplingRatio, setup, serializeIn',
    );
  });

  it("lists the fields of the datastore's own mode", () => {
    expect(problem('  datastores: { redis: { mode: external, host: r, hots: x } }', 'spec.datastores.redis.hots')).toBe(
      'unknown field `hots`. Did you mean `host`? Allowed here: mode, host, port, tls, passwordSecretRef',
    );
    expect(problem('  datastores: { redis: { image: "valkey/valkey:8", hots: x } }', 'spec.datastores.redis.hots')).toBe(
      'unknown field `hots`. Allowed here: mode, image, storage, resources',
    );
  });

  it('offers no near miss when nothing is near, and at the top level too', () => {
    expect(problem('  zzzzzz: 1', 'spec.zzzzzz')).toBe(
      'unknown field `zzzzzz`. Allowed here: profile, namespace, langfuse, datastores, collector, app, topologies, load, faults, sweep, capacity',
    );
  });

  it('a top-level unknown field lists the document fields', () => {
    try {
      parseSpec('apiVersion: tracelab.dev/v1alpha1\nkind: TraceLab\nmetadata: { name: x }\nspecs: {}\n', 'p.yaml');
    } catch (error) {
      expect((error as SpecError).problems).toEqual([
        { path: 'specs', line: 4, message: 'unknown field `specs`. Did you mean `spec`? Allowed here: apiVersion, kind, metadata, spec' },
      ]);
      return;
    }
    throw new Error('expected a rejection');
  });
});

describe('wording', () => {
  it('a wrong type in a union says so with the value', () => {
    expect(problem('  datastores: { postgres: "managed" }', 'spec.datastores.postgres')).toMatch(
      /^must be a mapping \(key: value lines\) \(got "managed"\)$|^must be "in-cluster" or "external"/,
    );
  });

  it('long values are shortened', () => {
    expect(problem(`  namespace: "${'X'.repeat(100)}"`, 'spec.namespace')).toMatch(/\(got "X{56}\.\.\.\)$/);
  });

  it('a missing required field names its type', () => {
    expect(problem('  datastores: { redis: { mode: external } }', 'spec.datastores.redis.host')).toBe('is required (a string)');
  });

  it('exclusive and inclusive bounds read differently', () => {
    expect(problem('  load: { rate: 0 }', 'spec.load.rate')).toBe('must be at least 1 (got 0)');
    expect(problem('  load: { rounds: 201 }', 'spec.load.rounds')).toBe('must be at most 200 (got 201)');
  });

  it('formatPath writes paths as a user does', () => {
    expect(formatPath(['spec', 'topologies', 2, 'sdk', 'batchSize'])).toBe('spec.topologies[2].sdk.batchSize');
    expect(formatPath([0, 'a'])).toBe('[0].a');
    expect(formatPath([])).toBe('');
  });
});

describe('describeIssue on shapes the spec may grow', () => {
  const words = (schema: z.ZodType, value: unknown) => {
    const result = schema.safeParse(value, { reportInput: true });
    if (result.success) throw new Error('expected a failure');
    return result.error.issues.flatMap((issue) => describeIssue(issue, schema, value).map((d) => `${formatPath(d.path)}: ${d.message}`));
  };

  it('lists other than topologies count entries, at least and at most', () => {
    expect(words(z.object({ hosts: z.array(z.string()).min(2) }), { hosts: ['a'] })).toEqual(['hosts: must list at least 2 entries (got ["a"])']);
    expect(words(z.object({ hosts: z.array(z.string()).max(1) }), { hosts: ['a', 'b'] })).toEqual(['hosts: must list at most 1 entry (got ["a","b"])']);
    expect(words(z.object({ topologies: z.array(z.string()).min(2) }), { topologies: [] })).toEqual(['topologies: must list at least 2 topologies (got [])']);
  });

  it('exclusive bounds say "more than" and "less than"; strings count characters', () => {
    expect(words(z.number().gt(0), 0)).toEqual([': must be more than 0 (got 0)']);
    expect(words(z.number().lt(1), 1)).toEqual([': must be less than 1 (got 1)']);
    expect(words(z.string().min(2), 'a')).toEqual([': must be at least 2 characters long (got "a")']);
    expect(words(z.string().max(1), 'ab')).toEqual([': must be at most 1 character long (got "ab")']);
  });

  it('a union of shapes that is not a list of values says no form matched', () => {
    expect(words(z.union([z.string(), z.object({ a: z.number() })]), 5)).toEqual([': does not match any allowed form (got 5)']);
    expect(words(z.union([z.literal('a'), z.literal('b'), z.literal('c')]), 'd')).toEqual([': must be one of "a" | "b" | "c" (got "d")']);
  });

  it('a value too long to show is cut at 57 characters and marked', () => {
    expect(words(z.literal('x'), 'y'.repeat(59))).toEqual([`: must be "x" (got "${'y'.repeat(56)}...)`]);
    expect(words(z.literal('x'), 'y'.repeat(58))).toEqual([`: must be "x" (got "${'y'.repeat(58)}")`]); // 60 characters with quotes: shown whole
  });
});
