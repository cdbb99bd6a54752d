import type { BenchmarkSuite } from './benchmark.js';
import { COLLECT_COST_BENCHMARK } from './collect-cost.bench.js';
import { CONSOLE_BENCHMARK } from './console.bench.js';
import { INGEST_BENCHMARK } from './ingest.bench.js';
import { LEDGER_BENCHMARK } from './ledger.bench.js';
import { PACK_BENCHMARK } from './pack.bench.js';
import { POSTURE_BENCHMARK } from './posture.bench.js';
import { REPORT_BENCHMARK } from './report.bench.js';
import { SIGMA_BENCHMARK } from './sigma.bench.js';
import { VERIFY_BENCHMARK } from './verify.bench.js';

/** Every benchmark suite `npm run bench` runs, in order. Each lives in its own `*.bench.ts` file. */
export const SUITES: readonly BenchmarkSuite[] = [
  INGEST_BENCHMARK,
  VERIFY_BENCHMARK,
  LEDGER_BENCHMARK,
  SIGMA_BENCHMARK,
  PACK_BENCHMARK,
  POSTURE_BENCHMARK,
  COLLECT_COST_BENCHMARK,
  CONSOLE_BENCHMARK,
  REPORT_BENCHMARK,
];
