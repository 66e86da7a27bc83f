// How many cases a property test tries. Mutation testing (vitest.mutation.config.ts) runs every
// test once per mutant, so there each property tries a fifth of its cases: still enough to
// kill a mutant that a property exists for, without making a run take hours.
const scale = Number(process.env.TRACELAB_PROPERTY_RUNS_SCALE ?? 1);

export const runs = (numRuns: number) => ({ numRuns: Math.max(10, Math.round(numRuns * scale)) });
