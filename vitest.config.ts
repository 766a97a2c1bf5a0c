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
    // Every test must assert something: a test that cannot fail is not a test.
    expect: { requireAssertions: true },
    env: {
      POWERTOOLS_DEV: 'false',
      AWS_REGION: 'us-east-1',
    },
  },
});
