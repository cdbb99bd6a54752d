import { expect, it } from 'vitest';
import { SIGMA_BENCHMARK } from '../../../src/bench/sigma.bench.js';

// The suite's report, row by row: what is measured, in which unit, with finite positive values.
// Never a timing threshold: how fast this machine is is not what the test is about.
it('sigma benchmark suite reports its two measurements, well formed', async () => {
  const rows = await SIGMA_BENCHMARK.run({ quick: true, workDir: '.' });
  expect(SIGMA_BENCHMARK.name).toBe('sigma');
  expect(rows.map((r) => [r.suite, r.name, r.unit])).toEqual([
    ['sigma', 'evaluate() latency p99', 'µs'],
    ['sigma', 'events through all rules', 'events/s'],
  ]);
  for (const row of rows) {
    expect(Number.isFinite(row.value), row.name).toBe(true);
    expect(Number.isInteger(row.value), row.name).toBe(true);
    expect(row.value, row.name).toBeGreaterThan(0);
  }
  const [latency, throughput] = rows;
  // The latency row has no target; the throughput row states one, and whether it was met.
  expect(latency).not.toHaveProperty('target');
  expect(latency?.met).toBeUndefined();
  expect(throughput?.target).toBe('>= 100000');
  expect(typeof throughput?.met).toBe('boolean');
  // The rules did match: the note counts the rules' hits on the seeded events.
  const hits = /^(.+); (\d+) hits$/.exec(throughput?.note ?? '');
  expect(hits, throughput?.note).not.toBeNull();
  expect(Number(hits?.[2])).toBeGreaterThan(0);
});
