// Turns zod issues into problems a person can act on: the field's path, the value given,
// what is allowed, and (for a misspelt field) the field that was probably meant.
import { closest, distance } from 'fastest-levenshtein';
import type { z } from 'zod';

export interface SpecProblem {
  /** e.g. spec.topologies[2].sdk.batchSize */
  readonly path: string;
  readonly message: string;
  /** 1-based line in the spec file, when the field (or its parent) is in the file. */
  readonly line?: number;
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), '');
}

const show = (value: unknown) => {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

/** The object keys the schema allows at `path` (following the value for unions). */
export function allowedKeys(schema: z.ZodType, path: readonly PropertyKey[], value: unknown): string[] {
  let node: any = schema;
  let here: any = value;
  const unwrap = () => {
    for (;;) {
      const def = node?._zod?.def;
      if (!def) return;
      if (['default', 'prefault', 'optional', 'nullable', 'readonly', 'catch'].includes(def.type)) node = def.innerType;
      else if (def.type === 'pipe') node = def.in;
      else if (def.type === 'union') {
        // A discriminated union: the option the value's discriminator (mode, kind) names.
        const key = def.discriminator ?? 'mode';
        const pick = def.options.find((o: any) => o._zod.def.shape?.[key]?._zod.def.values?.includes(here?.[key]));
        node = pick ?? def.options[0];
      } else return;
    }
  };
  for (const key of path) {
    unwrap();
    const def = node?._zod?.def;
    if (def?.type === 'object') node = def.shape[key as string];
    else if (def?.type === 'array') node = def.element;
    else return [];
    here = here?.[key as any];
  }
  unwrap();
  const shape = node?._zod?.def?.shape;
  return shape ? Object.keys(shape) : [];
}

/** What a list at this path holds, for "at least 1 topology". */
const ITEMS: Record<string, [string, string]> = { topologies: ['topology', 'topologies'] };

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping (key: value lines)',
  array: 'a list',
};

const or = (values: readonly unknown[]) =>
  values.length === 1 ? show(values[0]) : values.length === 2 ? `${show(values[0])} or ${show(values[1])}` : `one of ${values.map(show).join(' | ')}`;

/** A size bound in words: "at least 1 topology", "at most 63 characters", "at least 3". */
function bound(issue: { origin: string; inclusive?: boolean }, limit: number | bigint, lower: boolean, path: readonly PropertyKey[]): string {
  const n = Number(limit);
  const key = String(path.at(-1) ?? '');
  if (issue.origin === 'string') {
    if (lower && n === 1) return 'must not be empty';
    return `must be ${lower ? 'at least' : 'at most'} ${n} character${n === 1 ? '' : 's'} long`;
  }
  if (issue.origin === 'array' || issue.origin === 'set') {
    const [one, many] = ITEMS[key] ?? ['entry', 'entries'];
    return `must list ${lower ? 'at least' : 'at most'} ${n} ${n === 1 ? one : many}`;
  }
  if (issue.inclusive === false) return `must be ${lower ? 'more' : 'less'} than ${n}`;
  return `must be ${lower ? 'at least' : 'at most'} ${n}`;
}

export function describeIssue(issue: z.core.$ZodIssue, schema: z.ZodType, raw: unknown): Array<{ path: PropertyKey[]; message: string }> {
  const path = [...issue.path];
  const given = 'input' in issue && issue.input !== undefined ? ` (got ${show(issue.input)})` : '';
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = allowedKeys(schema, path, raw);
      return issue.keys.map((key) => {
        const guess = allowed.length ? closest(key, allowed) : undefined;
        const hint = guess && distance(key, guess) <= Math.max(2, key.length / 3) ? ` Did you mean \`${guess}\`?` : '';
        return { path: [...path, key], message: `unknown field \`${key}\`.${hint} Allowed here: ${allowed.join(', ')}` };
      });
    }
    case 'invalid_value':
      return [{ path, message: `must be ${or(issue.values)}${given}` }];
    case 'invalid_union': {
      const note = (issue as { note?: string }).note;
      if (note === 'No matching discriminator') {
        const { discriminator = 'mode', options = [] } = issue as { discriminator?: string; options?: unknown[] };
        const value = (issue.input as Record<string, unknown> | undefined)?.[discriminator];
        return [{ path, message: `must be ${or(options.filter((o) => o !== undefined))} (got ${show(value)})` }];
      }
      // A union of literals (e.g. Langfuse version 3 | 4): name every allowed value.
      const values = issue.errors.flatMap((branch) => (branch.length === 1 && branch[0].code === 'invalid_value' ? branch[0].values : [undefined]));
      if (values.length > 0 && !values.includes(undefined)) return [{ path, message: `must be ${or(values)}${given}` }];
      return [{ path, message: `does not match any allowed form${given}` }];
    }
    case 'invalid_type':
      return [
        {
          path,
          message:
            issue.input === undefined
              ? `is required (${TYPE_WORDS[issue.expected] ?? issue.expected})`
              : `must be ${TYPE_WORDS[issue.expected] ?? issue.expected}${given}`,
        },
      ];
    case 'too_small':
      return [{ path, message: `${bound(issue, issue.minimum, true, path)}${given}` }];
    case 'too_big':
      return [{ path, message: `${bound(issue, issue.maximum, false, path)}${given}` }];
    case 'invalid_format': {
      // A regex carries its own words (fields.ts); the built-in formats get ours.
      const words: Record<string, string> = { email: 'must be an email address', url: 'must be a URL such as "http://host:3000"' };
      return [{ path, message: `${words[issue.format] ?? issue.message}${given}` }];
    }
    default:
      return [{ path, message: `${issue.message}${given}` }];
  }
}
