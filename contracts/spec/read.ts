// Reading a spec: YAML text → raw document → profile layered under it → validated TraceLab.
// Every failure becomes a SpecError listing all problems with path, value and line.
import { readFileSync, statSync } from 'node:fs';
import type { z } from 'zod';
import { applyPreset, type PresetName } from './presets.ts';
import { PROFILE_HINTS, applyProfile } from './profiles.ts';
import { describeIssue, formatPath, type SpecProblem } from './problems.ts';
import { traceLabSchema, type ProfileName, type TraceLab } from './schema.ts';
import { MAX_SPEC_BYTES, readYaml, sizeProblem } from './yaml-source.ts';

export class SpecError extends Error {
  readonly file: string;
  readonly problems: readonly SpecProblem[];
  /** What to do about the problems as a whole (e.g. what a profile expects); not problems themselves. */
  readonly hints: readonly string[];
  /**
   * `hints`: advice printed after the problems. `unreadable`: the file itself could not be read
   * (missing, a directory, too large), said in one line.
   */
  constructor(file: string, unsorted: readonly SpecProblem[], options: { hints?: readonly string[]; unreadable?: boolean } = {}) {
    const { hints = [], unreadable = false } = options;
    // In file order, so the list reads top to bottom; problems without a line come first.
    const problems = [...unsorted].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    const lines = problems.map((p) => `  ${file}${p.line ? `:${p.line}` : ''}: ${p.path ? `${p.path}: ` : ''}${p.message}`);
    const advice = hints.map((h) => `  hint: ${h}`);
    super(
      unreadable && problems.length === 1
        ? `${file}: ${problems[0].message}`
        : `${file} is not a valid TraceLab spec (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${[...lines, ...advice].join('\n')}`,
    );
    this.name = 'SpecError';
    this.file = file;
    this.problems = problems;
    this.hints = hints;
  }
}

export interface LoadOptions {
  /** Overrides spec.profile (the CLI's --profile). */
  readonly profile?: ProfileName;
  /** A fault-run preset laid over the spec (the CLI's --preset; contracts/spec/presets.ts). */
  readonly preset?: PresetName;
}

export function parseSpec(text: string, file = '<spec>', options: LoadOptions = {}): TraceLab {
  const yaml = readYaml(text);
  if (!yaml.ok) throw new SpecError(file, yaml.problems);
  const { raw, lineOf } = yaml.source;
  if (raw === null || raw === undefined) {
    throw new SpecError(file, [{ path: '', line: 1, message: 'the file is empty; start from the default tracelab.yaml' }]);
  }
  return validateSpec(raw, file, options, lineOf);
}

/**
 * Validates a document already parsed (a TraceLab object read from the API server, say):
 * the preset (if any) and the chosen profile layered under it, then the schema and the
 * rules between fields.
 */
export function validateSpec(
  raw: unknown,
  source: string,
  options: LoadOptions = {},
  line: (path: PropertyKey[]) => number | undefined = () => undefined,
): TraceLab {
  const input = options.preset ? applyPreset(raw, options.preset) : raw;
  const layered = applyProfile(input, options.profile);
  const result = traceLabSchema.safeParse(layered, { reportInput: true });
  if (result.success) return result.data;
  const problems: SpecProblem[] = result.error.issues.flatMap((issue: z.core.$ZodIssue) =>
    describeIssue(issue, traceLabSchema, input).map(({ path, message }) => ({ path: formatPath(path), message, line: line(path) })),
  );
  const profile = (layered as { spec?: { profile?: ProfileName } })?.spec?.profile;
  const hints: string[] = [];
  for (const { path, hint } of (profile && PROFILE_HINTS[profile]) || []) {
    if (problems.some((p) => p.path.startsWith(path))) hints.push(hint);
  }
  throw new SpecError(source, problems, { hints });
}

export function loadSpecFile(file: string, options: LoadOptions = {}): TraceLab {
  let text: string;
  try {
    const stat = statSync(file);
    if (stat.isDirectory())
      throw new SpecError(file, [{ path: '', message: 'is a directory; pass the spec file itself, e.g. --spec tracelab.yaml' }], { unreadable: true });
    // Checked before reading, so a wrong path to a huge file fails at once.
    if (stat.size > MAX_SPEC_BYTES) throw new SpecError(file, sizeProblem(stat.size), { unreadable: true });
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
    throw new SpecError(file, [{ path: '', message: why }], { unreadable: true });
  }
  return parseSpec(text, file, options);
}
