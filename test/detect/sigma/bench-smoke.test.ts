import { expect, it } from 'vitest';
import { SIGMA_BENCHMARK } from '../../../src/bench/sigma.bench.js';

// Only checks the suite runs and reports a row (no timing assertion).
it('sigma benchmark suite runs', async () => {
  const rows = await SIGMA_BENCHMARK.run({ quick: true, workDir: '.' });
  console.log(JSON.stringify(rows));
  expect(rows.map((r) => r.unit)).toEqual(['µs', 'events/s']);
  expect(rows[1]?.value).toBeGreaterThan(0);
});
