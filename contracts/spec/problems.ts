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

export function describeIssue(issue: z.core.$ZodIssue, schema: z.ZodType, raw: unknown): Array<{ path: PropertyKey[]; message: string }> {
  const path = [...issue.path];
  const given = 'input' in issue && issue.input !== undefined ? ` (got ${show(issue.input)})` : '';
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = allowedKeys(schema, path, raw);
      return issue.keys.map((key) => {
        const guess = allowed.length ? closest(key, allowed) : undefined;
        const hint = guess && distance(key, guess) <= Math.max(2, key.length / 3) ? `; did you mean "${guess}"?` : '';
        return { path: [...path, key], message: `unknown field${hint} Allowed here: ${allowed.join(', ')}` };
      });
    }
    case 'invalid_value':
      return [{ path, message: `must be one of ${issue.values.map(show).join(' | ')}${given}` }];
    case 'invalid_union': {
      const note = (issue as { note?: string }).note;
      if (note === 'No matching discriminator') {
        const { discriminator = 'mode', options = [] } = issue as { discriminator?: string; options?: unknown[] };
        const value = (issue.input as Record<string, unknown> | undefined)?.[discriminator];
        return [
          {
            path,
            message: `must be one of ${options
              .filter((o) => o !== undefined)
              .map(show)
              .join(' | ')} (got ${show(value)})`,
          },
        ];
      }
      return [{ path, message: `${issue.message}${given}` }];
    }
    case 'invalid_type':
      return [{ path, message: issue.input === undefined ? `is required (${issue.expected})` : `expected ${issue.expected}${given}` }];
    default:
      return [{ path, message: `${issue.message}${given}` }];
  }
}
