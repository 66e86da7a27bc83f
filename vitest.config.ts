import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // In CI also a JSON report, from which .ci/run prints the closing "N passed, N failed".
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.tools/vitest-report.json' }]] : ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts', 'apps/**/*.test.ts'],
          exclude: ['test/cluster/**'],
          // Builds k6 and the collector once (cached in .tools/) before any test needs them.
          globalSetup: ['test/support/tools-setup.ts'],
          // Tests that start real processes measure nothing; they only need not starve each other.
          fileParallelism: true,
        },
      },
      {
        extends: true,
        test: {
          name: 'cluster',
          include: ['test/cluster/**/*.test.ts'],
          // Starts one real control plane (etcd, kube-apiserver, controller-manager, scheduler,
          // kwok) for all cluster tests, building it with Go on first use (cached per user).
          globalSetup: ['test/support/control-plane-setup.ts'],
          // One stack at a time: stacks share the fake nodes' hostPort and the NodePorts.
          fileParallelism: false,
          testTimeout: 180_000,
          // A cold first build of the control plane takes up to ~25 min on 2 busy cores.
          hookTimeout: 40 * 60_000,
        },
      },
    ],
  },
});
