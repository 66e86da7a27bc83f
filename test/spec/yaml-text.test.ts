// What can go wrong with a spec's text before any field is checked, each said in tracelab's
// words with the line: size, YAML syntax, several documents, a key given twice, bad aliases.
import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SpecError, loadSpecFile, parseSpec } from '../../contracts/spec/read.ts';
import { MAX_SPEC_BYTES, readYaml } from '../../contracts/spec/yaml-source.ts';
import { minimal } from '../support/specs.ts';

function rejection(text: string): SpecError {
  try {
    parseSpec(text, 'x.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(SpecError);
    return error as SpecError;
  }
  throw new Error('expected the spec to be rejected');
}

describe('the YAML text', () => {
  it('a spec over 1 MiB is refused for its size before it is parsed', () => {
    const text = `${minimal()}# ${'x'.repeat(MAX_SPEC_BYTES)}\n`;
    expect(rejection(text).problems).toEqual([{ path: '', message: 'the file is 1,025 KiB; a spec is at most 1,024 KiB (1 MiB). Is this the right file?' }]);
    // Broken YAML over the cap: the answer is the size, so the parser never ran.
    expect(rejection(`a: [${'x'.repeat(MAX_SPEC_BYTES)}`).problems[0].message).toMatch(/^the file is /);
    expect(readYaml(`a: ${'x'.repeat(MAX_SPEC_BYTES - 3)}`).ok).toBe(true); // exactly at the cap is fine
  });

  it('counts the cap in bytes, not characters', () => {
    expect(readYaml(`a: ${'é'.repeat(MAX_SPEC_BYTES / 2)}`).ok).toBe(false);
  });

  it('a key given twice names both lines and the path, in nested maps and lists too', () => {
    const text = minimal('  profile: kind\n  topologies:\n    - topology: baseline\n      name: a\n      name: b\n  profile: eks');
    expect(rejection(text).problems).toEqual([
      { path: 'spec.topologies[0].name', line: 10, message: 'duplicate key "name" (first set on line 9); keep one of them' },
      { path: 'spec.profile', line: 11, message: 'duplicate key "profile" (first set on line 6); keep one of them' },
    ]);
    expect(rejection('a: 1\na: 2\n').problems[0]).toMatchObject({ path: 'a', line: 2 });
  });

  it('"a" and a: are the same key', () => {
    expect(rejection('"a": 1\na: 2\n').problems[0].message).toMatch(/duplicate key "a"/);
  });

  it('finds duplicate keys in time linear in the map: 4× the keys take far less than 16× the time', () => {
    const timed = (n: number) => {
      const keys = Array.from({ length: n }, (_, i) => `    k${i}: v`).join('\n');
      const started = performance.now();
      const result = readYaml(`metadata:\n  labels:\n${keys}\n    k17: again\n`);
      expect(result).toMatchObject({ ok: false, problems: [{ path: 'metadata.labels.k17', line: n + 3 }] });
      return performance.now() - started;
    };
    timed(2000); // warm up
    const [small, large] = [timed(6000), timed(24_000)];
    // A quadratic check (the yaml library's own) would take ~16× as long; parsing itself is linear.
    expect(large / small).toBeLessThan(10);
  });

  it('a second document is named as such, at its line', () => {
    expect(rejection(`${minimal()}---\nkind: Other\n`).problems).toEqual([
      {
        path: '',
        line: 7,
        message: 'a second YAML document starts here ("---"); a spec is one document: remove the "---" and what follows, or split the file',
      },
    ]);
  });

  it('a leading "---" (one document) is fine', () => {
    expect(parseSpec(`---\n${minimal()}`).metadata.name).toBe('test');
  });

  it.each([
    ['a: "open\nb: 1\n', 3, /^not valid YAML: Missing closing "quote$/],
    ['a:\n\tb: 1\n', 2, /^not valid YAML: Tabs are not allowed as indentation$/],
  ])('a syntax error is "not valid YAML" with the parser\'s reason, without its column noise', (text, line, message) => {
    const [problem] = rejection(text).problems;
    expect(problem.line).toBe(line);
    expect(problem.message).toMatch(message);
  });

  it('an alias to no anchor, and aliases that multiply, are refused as YAML errors', () => {
    expect(rejection('a: 1\nb: *nowhere\n').problems[0]).toMatchObject({ line: 2, message: expect.stringMatching(/^not valid YAML: Unresolved alias/) });
    const laughs = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...'bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(10).fill(`*${'abcdefghi'[i]}`).join(', ')}]`),
    ];
    expect(rejection(`${laughs.join('\n')}\n`).problems[0]).toMatchObject({ line: 2, message: expect.stringMatching(/^not valid YAML: .*alias/i) });
  });
});

describe('where a text problem is', () => {
  it('an alias to nowhere is reported at that alias, not at an earlier good one', () => {
    expect(rejection('a: &x 1\nb: *x\nc: *nowhere\n').problems[0]).toMatchObject({ line: 3 });
  });

  it('a duplicate key inside nested lists names its full path', () => {
    expect(rejection('a:\n  - - k: 1\n      k: 2\n').problems[0]).toMatchObject({ path: 'a[0][0].k', line: 3 });
  });

  it("the parser's position suffix is dropped, its reason kept", () => {
    const [problem] = rejection('a: [1\nb: 2\n').problems;
    expect(problem.message).not.toMatch(/at line|column|:$/);
  });
});

describe('reading a spec file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tracelab-spec-'));

  it.each([
    ['missing', join(dir, 'nope.yaml'), 'file not found; pass --spec <file> or create tracelab.yaml'],
    ['a directory', dir, 'is a directory; pass the spec file itself, e.g. --spec tracelab.yaml'],
  ])('%s says so', (_label, file, message) => {
    expect(() => loadSpecFile(file)).toThrow(SpecError);
    expect(() => loadSpecFile(file)).toThrow(`${file}: ${message}`);
    expect(() => loadSpecFile(file)).not.toThrow(/not a valid TraceLab spec/);
  });

  it('too large is refused from its size, before it is read', () => {
    const file = join(dir, 'huge.yaml');
    writeFileSync(file, Buffer.alloc(3 * MAX_SPEC_BYTES, 0x61));
    expect(() => loadSpecFile(file)).toThrow('the file is 3,072 KiB; a spec is at most 1,024 KiB (1 MiB)');
  });

  it('a file of exactly 1 MiB is read; one byte more is refused', () => {
    const exact = join(dir, 'exact.yaml');
    writeFileSync(exact, `${minimal()}#${'x'.repeat(MAX_SPEC_BYTES - minimal().length - 2)}\n`);
    expect(loadSpecFile(exact).metadata.name).toBe('test');
    writeFileSync(exact, `${minimal()}#${'x'.repeat(MAX_SPEC_BYTES - minimal().length - 1)}\n`);
    expect(() => loadSpecFile(exact)).toThrow(/^.*exact\.yaml: the file is 1,025 KiB/);
  });

  it('a symlink loop says it cannot be read, in one line', () => {
    const loop = join(dir, 'loop.yaml');
    symlinkSync(loop, loop);
    expect(() => loadSpecFile(loop)).toThrow(new RegExp(`^${loop}: cannot read: ELOOP`));
  });

  it('unreadable says why', () => {
    const file = join(dir, 'locked');
    mkdirSync(join(file, 'inner'), { recursive: true });
    expect(() => loadSpecFile(join(file, 'inner', 'x.yaml', 'y'))).toThrow(/file not found|cannot read/);
  });
});

describe('problems are listed in file order', () => {
  it('sorts by line, problems without a line first, and keeps the order of one line', () => {
    const error = new SpecError('f.yaml', [
      { path: 'b', line: 9, message: 'later' },
      { path: 'a', line: 2, message: 'first' },
      { path: '', message: 'no line' },
      { path: 'c', line: 9, message: 'later, second' },
    ]);
    expect(error.problems.map((p) => p.message)).toEqual(['no line', 'first', 'later', 'later, second']);
    expect(error.message).toBe(
      'f.yaml is not a valid TraceLab spec (4 problems):\n  f.yaml: no line\n  f.yaml:2: a: first\n  f.yaml:9: b: later\n  f.yaml:9: c: later, second',
    );
    expect(new SpecError('g.yaml', [{ path: 'x', line: 1, message: 'm' }]).message).toBe('g.yaml is not a valid TraceLab spec (1 problem):\n  g.yaml:1: x: m');
    expect(new SpecError('g.yaml', [{ path: '', message: 'gone' }], { unreadable: true }).message).toBe('g.yaml: gone');
    expect(
      new SpecError(
        'g.yaml',
        [
          { path: '', message: 'a' },
          { path: '', message: 'b' },
        ],
        { unreadable: true },
      ).message,
    ).toBe('g.yaml is not a valid TraceLab spec (2 problems):\n  g.yaml: a\n  g.yaml: b');
    expect(error.name).toBe('SpecError');
    expect(error.file).toBe('f.yaml');
  });
});
