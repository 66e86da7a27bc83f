// Reading a spec: YAML text → raw document → profile layered under it → validated TraceLab.
// Every failure becomes a SpecError listing all problems with path, value and line.
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import type { z } from 'zod';
import { PROFILE_HINTS, applyProfile } from './profiles.ts';
import { describeIssue, formatPath, type SpecProblem } from './problems.ts';
import { traceLabSchema, type ProfileName, type TraceLab } from './schema.ts';

export class SpecError extends Error {
  readonly file: string;
  readonly problems: readonly SpecProblem[];
  constructor(file: string, problems: SpecProblem[]) {
    const lines = problems.map((p) => `  ${file}${p.line ? `:${p.line}` : ''}: ${p.path ? `${p.path}: ` : ''}${p.message}`);
    super(`${file} is not a valid TraceLab spec (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines.join('\n')}`);
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
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new SpecError(
      file,
      doc.errors.map((e) => ({ path: '', line: e.linePos?.[0].line, message: `YAML: ${e.message.split('\n')[0]}` })),
    );
  }
  const raw = doc.toJS();
  if (raw === null || raw === undefined) {
    throw new SpecError(file, [{ path: '', message: 'the file is empty; start from the default tracelab.yaml' }]);
  }
  return validateSpec(raw, file, options, (path) => lineOf(doc, lineCounter, path));
}

/**
 * Validates a document already parsed (a TraceLab object read from the API server, say):
 * the chosen profile layered under it, then the schema and the rules between fields.
 */
export function validateSpec(
  raw: unknown,
  source: string,
  options: LoadOptions = {},
  line: (path: PropertyKey[]) => number | undefined = () => undefined,
): TraceLab {
  const layered = applyProfile(raw, options.profile);
  const result = traceLabSchema.safeParse(layered, { reportInput: true });
  if (result.success) return result.data;
  const problems: SpecProblem[] = result.error.issues.flatMap((issue: z.core.$ZodIssue) =>
    describeIssue(issue, traceLabSchema, raw).map(({ path, message }) => ({ path: formatPath(path), message, line: line(path) })),
  );
  const profile = (layered as { spec?: { profile?: ProfileName } })?.spec?.profile;
  for (const { path, hint } of (profile && PROFILE_HINTS[profile]) || []) {
    if (problems.some((p) => p.path.startsWith(path))) problems.push({ path: '', message: `hint: ${hint}` });
  }
  throw new SpecError(source, problems);
}

export function loadSpecFile(file: string, options: LoadOptions = {}): TraceLab {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SpecError(file, [
      { path: '', message: code === 'ENOENT' ? 'file not found; pass --spec <file> or create tracelab.yaml' : `cannot read: ${(error as Error).message}` },
    ]);
  }
  return parseSpec(text, file, options);
}

/** Line of the deepest node along `path` that exists in the file. */
function lineOf(doc: Document, counter: LineCounter, path: readonly PropertyKey[]): number | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth) as (string | number)[], true);
    if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
  }
  return undefined;
}
