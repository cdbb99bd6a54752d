import { parentPort, workerData } from 'node:worker_threads';
import { openLeafRangeChecker, type LeafRangeSetup } from './leaf-range-checker.js';

/**
 * A worker thread of `vigil verify` on SQLite (parallel-leaf-ranges.ts): checks the leaf ranges it
 * is sent, on its own read-only connection, and says when it is ready for them.
 */
const checker = openLeafRangeChecker(workerData as LeafRangeSetup);

parentPort!.on('message', ({ from, to }: { from: number; to: number }) => {
  const result = checker.check(from, to);
  const buffers = new Set(result.subtrees.map((level) => level.buffer as ArrayBuffer));
  parentPort!.postMessage(result, [...buffers]);
});
parentPort!.postMessage('ready');
