// The tests Stryker runs against each mutant (npm run mutation): only those that exercise the
// mutated modules in the test process itself. Tests that start the apps as child processes
// observe them too, but mutation testing cannot see which child ran which mutant, so the
// modules it mutates are also tested in-process (test/contracts, test/apps/sink-*).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'test/spec/**/*.test.ts',
      'test/contracts/**/*.test.ts',
      'test/analysis/percentiles.property.test.ts',
      'test/apps/settings.test.ts',
      'test/apps/sink-*.test.ts',
    ],
    testTimeout: 30_000,
    // Property tests try a fifth of their cases per mutant (test/support/property-runs.ts).
    env: { TRACELAB_PROPERTY_RUNS_SCALE: '0.2' },
    pool: 'forks',
  },
});
