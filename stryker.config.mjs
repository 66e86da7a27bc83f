// Mutation testing (npm run mutation): does a test fail when the code it guards is changed?
// Scope: the spec loader/validator, the target app's env contract, the collector config
// builder, ingest-sink's counting and the quantile function the report's percentiles use.
// Run it with spare cores (README, "Mutation testing").
//
// Static mutants — changes to code that runs once when a module loads, such as the schema's
// defaults and messages — cannot be traced to the tests that cover them, so each one runs
// every test: a third of the mutants but four fifths of the time. `npm run mutation` leaves
// them out (minutes); `npm run mutation:full` (stryker.full.config.mjs) includes them (an hour
// or more on two cores).
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  coverageAnalysis: 'perTest',
  ignoreStatic: true,
  // `npm run mutation -- --incremental` re-tests only mutants whose code or covering tests
  // changed — but a survivor is not retried against a test added since, so it is not the default.
  incrementalFile: 'reports/stryker-incremental.json',
  mutate: [
    'contracts/spec/*.ts',
    'contracts/target-app.ts',
    'contracts/collector-config.ts',
    'apps/ingest-sink/src/*.ts',
    // Only the process around routes.ts: env, listen, signals (test/apps/ingest-sink.test.ts runs it).
    '!apps/ingest-sink/src/server.ts',
    'infra/analysis/percentiles.ts:1-16',
  ],
  ignorePatterns: ['.tools', 'results', 'dist', 'reports'],
  concurrency: Number(process.env.STRYKER_CONCURRENCY ?? 2),
  timeoutMS: 10_000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 80, break: 80 },
  // Stryker would rewrite tsconfig.json with the TypeScript JS API, which TypeScript 7 (native)
  // no longer has; our tsconfig has no `extends` or `references` to rewrite.
  tsconfigFile: 'no-tsconfig-rewrite',
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
