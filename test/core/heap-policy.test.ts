import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';
import { applyHeapPolicy } from '../../src/core/heap-policy.js';
import { collectsFrom } from '../../src/cli/commands/index.js';

/**
 * A child process that sets the policy (the compiled module, as `vigil collect` does), then
 * allocates as a backfill does: a set that stays live and grows, and a stream of short-lived pages.
 * Given two percentages, it sets the second halfway through. It prints the size of its young
 * generation and the largest its whole heap was.
 */
const WORKLOAD = `
import v8 from 'node:v8';
import { applyHeapPolicy } from ${JSON.stringify(pathToFileURL(path.resolve('dist/core/heap-policy.js')).href)};
const [first, then] = process.argv[1].split(',').map(Number);
applyHeapPolicy(first);
const live = [];
let peakHeap = 0;
for (let page = 0; page < 400; page++) {
  if (page === 200 && then !== undefined) applyHeapPolicy(then);
  const events = [];
  for (let i = 0; i < 1000; i++) events.push({ id: 'e' + page + ':' + i, text: 'x'.repeat(200) + i });
  if (page % 4 === 0) for (let i = 0; i < 1000; i += 4) live.push({ id: events[i].id, n: i });
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapTotal);
}
const young = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
console.log(JSON.stringify({ young, peakHeap, live: live.length }));
`;

function run(...growth: number[]): { young: number; peakHeap: number; live: number } {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', WORKLOAD, growth.join(',')], {
    encoding: 'utf8',
  });
  return JSON.parse(out) as { young: number; peakHeap: number; live: number };
}

it('keeps the heap near what is live: set in a running process, V8 takes it at its next collections', () => {
  const own = run(0);
  const lean = run(30);
  expect(lean.live).toBe(own.live);
  // The young generation stays at its starting size (1 MiB a half), where V8's own grows to 16.
  expect(lean.young).toBeLessThanOrEqual(2 * 2 ** 20);
  expect(own.young).toBeGreaterThan(lean.young);
  // The whole heap: well under V8's own (measured 8.2 against 22.4 MiB), which lets it grow up
  // to four times what survived.
  expect(lean.peakHeap).toBeLessThan(own.peakHeap * 0.75);
  // 0 set later gives V8 its own policy back: the young generation grows again.
  expect(run(30, 0).young).toBeGreaterThan(lean.young);
});

it('refuses what is not a whole percentage, before setting anything', () => {
  expect(() => applyHeapPolicy(-1)).toThrow(RangeError);
  expect(() => applyHeapPolicy(12.5)).toThrow(/whole percentage/);
  expect(() => applyHeapPolicy(Number.NaN)).toThrow(/whole percentage/);
});

it("is a collecting command's: vigil collect and vigil serve --collect, whatever the global options", () => {
  expect(collectsFrom(['node', 'vigil', 'collect', '--once'])).toBe(true);
  expect(collectsFrom(['node', 'vigil', '--data', 'collect', 'serve'])).toBe(false);
  expect(collectsFrom(['node', 'vigil', '--data', 'd', 'serve', '--collect'])).toBe(true);
  expect(collectsFrom(['node', 'vigil', 'serve'])).toBe(false);
  expect(collectsFrom(['node', 'vigil', 'verify'])).toBe(false);
  expect(collectsFrom(['node', 'vigil'])).toBe(false);
});
