import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'apps/**/*.test.ts'],
    // Builds k6 and the collector once (cached in .tools/) before any test needs them.
    globalSetup: ['test/support/tools-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Tests that start real processes measure nothing; they only need not starve each other.
    fileParallelism: true,
    pool: 'forks',
    // In CI also a JSON report, from which .ci/run prints the closing "N passed, N failed".
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.tools/vitest-report.json' }]] : ['default'],
  },
});
