// Reading a spec: YAML text → raw document → profile layered under it → validated TraceLab.
// Every failure becomes a SpecError listing all problems with path, value and line.
import { readFileSync, statSync } from 'node:fs';
import type { z } from 'zod';
import { applyProfile } from './profiles.ts';
import { describeIssue, formatPath, type SpecProblem } from './problems.ts';
import { traceLabSchema, type ProfileName, type TraceLab } from './schema.ts';
import { MAX_SPEC_BYTES, readYaml, sizeProblem } from './yaml-source.ts';

export class SpecError extends Error {
  readonly file: string;
  readonly problems: readonly SpecProblem[];
  /** `unreadable`: the file itself could not be read (missing, a directory, too large): said in one line. */
  constructor(file: string, unsorted: readonly SpecProblem[], unreadable = false) {
    // In file order, so the list reads top to bottom; problems without a line come first.
    const problems = [...unsorted].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    const lines = problems.map((p) => `  ${file}${p.line ? `:${p.line}` : ''}: ${p.path ? `${p.path}: ` : ''}${p.message}`);
    super(
      unreadable && problems.length === 1
        ? `${file}: ${problems[0].message}`
        : `${file} is not a valid TraceLab spec (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines.join('\n')}`,
    );
    this.name = 'SpecError';
    this.file = file;
    this.problems = problems;
  }
}

export interface LoadOptions {
  /** Overrides spec.profile (the CLI's --profile). */
  readonly profile?: ProfileName;
}

export function parseSpec(text: string, file = '<spec>', options: LoadOptions = {}): TraceLab {
  const yaml = readYaml(text);
  if (!yaml.ok) throw new SpecError(file, yaml.problems);
  const { raw, lineOf } = yaml.source;
  if (raw === null || raw === undefined) {
    throw new SpecError(file, [{ path: '', message: 'the file is empty; start from the default tracelab.yaml' }]);
  }
  const result = traceLabSchema.safeParse(applyProfile(raw, options.profile), { reportInput: true });
  if (result.success) return result.data;
  const problems = result.error.issues.flatMap((issue: z.core.$ZodIssue) =>
    describeIssue(issue, traceLabSchema, raw).map(({ path, message }) => ({ path: formatPath(path), message, line: lineOf(path) })),
  );
  throw new SpecError(file, problems);
}

export function loadSpecFile(file: string, options: LoadOptions = {}): TraceLab {
  let text: string;
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) throw new SpecError(file, [{ path: '', message: 'is a directory; pass the spec file itself, e.g. --spec tracelab.yaml' }], true);
    // Checked before reading, so a wrong path to a huge file fails at once.
    if (stat.size > MAX_SPEC_BYTES) throw new SpecError(file, sizeProblem(stat.size), true);
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof SpecError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'file not found; pass --spec <file> or create tracelab.yaml'
        : code === 'EACCES'
          ? 'permission denied; check the file is readable'
          : `cannot read: ${(error as Error).message}`;
    throw new SpecError(file, [{ path: '', message: why }], true);
  }
  return parseSpec(text, file, options);
}
