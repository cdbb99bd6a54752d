import { setFlagsFromString } from 'node:v8';

/** `collect.heapGrowthPercent`'s default, measured in `npm run bench -- collect-cost` (docs/custody.md). */
export const DEFAULT_HEAP_GROWTH_PERCENT = 30;

/**
 * A collector's memory policy (issue 20). A backfill allocates fast and keeps little: about 40 MiB
 * live, yet V8's own policy lets the heap grow to four times what survived its last full collection
 * and the young generation to 16 MiB a half, so the process peaked over 300 MiB. With this policy V8
 * collects once the heap is `growthPercent` past what is live, and keeps the young generation at
 * its starting size: memory follows what is live, for some more collecting (CPU). Nothing is capped,
 * so a collector whose detection state really grows is never stopped for lack of heap.
 *
 * Both are V8 flags read at each collection, so they take effect when set in a running process
 * (unlike the heap's size limits, which only a command-line flag sets). They apply to the whole
 * process; 0 restores V8's own policy. The young generation grows while modules load and keeps
 * what it grew, so the entry point sets the policy before loading a collecting command (main.ts).
 */
export function applyHeapPolicy(growthPercent: number): void {
  if (!Number.isInteger(growthPercent) || growthPercent < 0)
    throw new RangeError(`heap growth must be a whole percentage, got ${growthPercent}`);
  // heap-growing-percent 0 is V8's own factor; 2 is V8's own young-generation growth.
  setFlagsFromString(`--heap-growing-percent=${growthPercent}`);
  setFlagsFromString(`--semi-space-growth-factor=${growthPercent === 0 ? 2 : 1}`);
}
