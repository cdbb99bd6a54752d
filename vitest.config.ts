import { defineConfig } from 'vitest/config';

/** Brings dist/ up to date with src/ before any test runs: worker-thread tests load compiled workers. */
const BUILD_DIST = './test/support/build-dist.ts';

export const VITEST_CONFIG = defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          globalSetup: [BUILD_DIST],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'conformance',
          include: ['conformance/**/*.test.ts'],
          globalSetup: [BUILD_DIST],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});

// Vitest reads the default export; this is the one file where the tool requires it.
export default VITEST_CONFIG;
