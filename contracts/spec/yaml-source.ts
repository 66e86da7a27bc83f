// A spec's YAML text → the raw document, and a way back from a field's path to its line.
// Everything that can go wrong with the text itself becomes a problem in tracelab's words:
// too large, not YAML, more than one document, a key given twice, an alias that goes nowhere.
import { type Document, LineCounter, isMap, isNode, isScalar, parseDocument, visit } from 'yaml';
import type { SpecProblem } from './problems.ts';

/** A spec is a page of YAML; anything near this size is the wrong file (or a generated one gone wrong). */
export const MAX_SPEC_BYTES = 1024 * 1024;

export interface YamlSource {
  /** The document as plain data (null for an empty file). */
  readonly raw: unknown;
  /** 1-based line of the deepest node along `path` that is in the file. */
  lineOf(path: readonly PropertyKey[]): number | undefined;
}

export type YamlResult = { ok: true; source: YamlSource } | { ok: false; problems: SpecProblem[] };

const kib = (bytes: number) => `${Math.ceil(bytes / 1024).toLocaleString('en')} KiB`;

/** The first line of a yaml library message, without its "at line L, column C:" (the line is reported apart). */
const plain = (message: string) =>
  message
    .split('\n')[0]
    .replace(/ at line \d+, column \d+:?$/, '')
    .replace(/:$/, '');

function yamlProblem(code: string, message: string, line: number | undefined): SpecProblem {
  if (code === 'MULTIPLE_DOCS') {
    return {
      path: '',
      line,
      message: `a second YAML document starts here ("---"); a spec is one document: remove the "---" and what follows, or split the file`,
    };
  }
  return { path: '', line, message: `not valid YAML: ${plain(message)}` };
}

/** Keys given twice in one mapping, found in one pass (the yaml library's own check is quadratic in the map size). */
function duplicateKeys(doc: Document, counter: LineCounter): SpecProblem[] {
  const problems: SpecProblem[] = [];
  visit(doc, {
    Map(_key, map, ancestry) {
      const seen = new Map<string, number | undefined>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const name = String(pair.key.value);
        const line = pair.key.range ? counter.linePos(pair.key.range[0]).line : undefined;
        if (seen.has(name)) {
          const first = seen.get(name);
          problems.push({
            path: pathOf([...ancestry, map], name),
            line,
            message: `duplicate key "${name}"${first ? ` (first set on line ${first})` : ''}; keep one of them`,
          });
        } else seen.set(name, line);
      }
    },
  });
  return problems;
}

/** The spec path (spec.topologies[1].sdk.x) of key `key` in the last node of `ancestry` (document first). */
function pathOf(ancestry: readonly unknown[], key: string): string {
  let path = '';
  for (let i = 1; i < ancestry.length; i++) {
    const node = ancestry[i] as { key?: unknown };
    const parent = ancestry[i - 1];
    if (isMap(parent) && isScalar(node.key)) path += `${path ? '.' : ''}${String(node.key.value)}`;
    else if (isNode(parent) && 'items' in parent && Array.isArray(parent.items) && !isMap(parent)) path += `[${parent.items.indexOf(node)}]`;
  }
  return path ? `${path}.${key}` : key;
}

/** Line of the first alias that goes nowhere, else of the first alias (the expansion that grew too large starts there). */
function aliasLine(doc: Document, counter: LineCounter): number | undefined {
  let first: number | undefined;
  let unresolved: number | undefined;
  visit(doc, {
    Alias(_key, alias) {
      const line = alias.range ? counter.linePos(alias.range[0]).line : undefined;
      first ??= line;
      if (unresolved === undefined && alias.resolve(doc) === undefined) unresolved = line;
    },
  });
  return unresolved ?? first;
}

export const sizeProblem = (bytes: number): SpecProblem[] => [
  { path: '', message: `the file is ${kib(bytes)}; a spec is at most ${kib(MAX_SPEC_BYTES)} (1 MiB). Is this the right file?` },
];

export function readYaml(text: string): YamlResult {
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_SPEC_BYTES) return { ok: false, problems: sizeProblem(bytes) };
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: true, uniqueKeys: false });
  if (doc.errors.length > 0) {
    return { ok: false, problems: doc.errors.map((e) => yamlProblem(e.code, e.message, e.linePos?.[0].line)) };
  }
  const duplicates = duplicateKeys(doc, counter);
  if (duplicates.length > 0) return { ok: false, problems: duplicates };
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // An alias to an anchor that does not exist, or aliases that multiply (a "billion laughs" file).
    return { ok: false, problems: [{ path: '', line: aliasLine(doc, counter), message: `not valid YAML: ${plain((error as Error).message)}` }] };
  }
  const lineOf = (path: readonly PropertyKey[]) => {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = doc.getIn(path.slice(0, depth) as (string | number)[], true);
      if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  return { ok: true, source: { raw, lineOf } };
}
