import { defineConfig } from 'vitest/config';

export const VITEST_CONFIG = defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 } },
      {
        test: {
          name: 'conformance',
          include: ['conformance/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});

// Vitest reads the default export; this is the one file where the tool requires it.
export default VITEST_CONFIG;
