import { z } from 'zod';
import { traceLabSchema } from './schema.ts';

/** The JSON Schema of the document a user writes (input side: defaults are optional). */
export function specJsonSchema(): object {
  return {
    ...z.toJSONSchema(traceLabSchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }),
    title: 'TraceLab',
    description: 'tracelab.dev/v1alpha1 TraceLab spec: what tracing costs, per export topology.',
  };
}
