import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration suites start servers (dynalite, cognito-local, PGlite) on ephemeral ports;
    // two forks keep the 2-core machine busy without starving the deadline tests.
    pool: 'forks',
    maxWorkers: 2,
    env: {
      POWERTOOLS_DEV: 'false',
      AWS_REGION: 'us-east-1',
    },
  },
});
