import type { BenchmarkSuite } from './benchmark.js';

/** Every benchmark suite `npm run bench` runs, in order. Each lives in its own `*.bench.ts` file. */
export const SUITES: readonly BenchmarkSuite[] = [];
