import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { RANGE_LEVEL, type LeafRangeResult } from '../../verify/leaf-check.js';
import { openLeafRangeChecker, type LeafRangeChecker, type LeafRangeSetup } from './leaf-range-checker.js';

export interface ParallelLeafRangeOptions {
  /** The SQLite database file (each checker opens it read-only). */
  readonly dbFile: string;
  /** Worker threads; 0 checks every range on the calling thread. */
  readonly workers: number;
  /** Ranges of 2^rangeLevel leaves (default RANGE_LEVEL); small in tests, to get many ranges. */
  readonly rangeLevel?: number;
  /** Below this many leaves, worker start-up costs more than it saves: the calling thread checks. */
  readonly minLeaves?: number;
  /** Whether the calling thread checks ranges until a worker is ready (default: yes). */
  readonly inlineWhileStarting?: boolean;
  /** The compiled worker script; by default the one beside this module. */
  readonly workerScript?: string;
}

const DEFAULT_SCRIPT = fileURLToPath(new URL('./leaf-range-worker.js', import.meta.url));

/** Whether worker threads can run here: the compiled worker exists (not when running from sources). */
export function parallelLeafRangesAvailable(script = DEFAULT_SCRIPT): boolean {
  return existsSync(script);
}

/**
 * Leaf ranges [0, end) of one source's ledger in a SQLite file, checked by a pool of worker threads
 * and yielded in index order. Until the first worker is ready (starting one takes tens of
 * milliseconds), the calling thread checks ranges itself; once one is, it only folds results, so
 * there are never more busy threads than workers. At most two ranges per worker are in flight, so
 * memory stays bounded however large the ledger.
 */
export async function* parallelLeafRanges(
  options: ParallelLeafRangeOptions,
  source: string,
  rangeCheck: { deep: boolean; format?: string },
  end: number,
): AsyncIterable<LeafRangeResult> {
  const setup: LeafRangeSetup = {
    dbFile: options.dbFile,
    source,
    deep: rangeCheck.deep,
    ...(rangeCheck.format === undefined ? {} : { format: rangeCheck.format }),
    rangeLevel: options.rangeLevel ?? RANGE_LEVEL,
  };
  const size = 2 ** setup.rangeLevel;
  const workerCount = end >= (options.minLeaves ?? 0) ? Math.max(0, options.workers) : 0;
  const workers = Array.from(
    { length: workerCount },
    () => new Worker(options.workerScript ?? DEFAULT_SCRIPT, { workerData: setup }),
  );
  let inline: LeafRangeChecker | undefined;
  const idle: Worker[] = [];
  const waiting: ((w: Worker) => void)[] = [];
  const release = (w: Worker) => {
    const next = waiting.shift();
    if (next) next(w);
    else idle.push(w);
  };
  let anyReady = false;
  let failure: Error | undefined;
  for (const worker of workers) {
    const onReady = (message: unknown) => {
      if (message !== 'ready') return;
      worker.off('message', onReady);
      anyReady = true;
      release(worker);
    };
    worker.on('message', onReady);
    // A worker that fails fails the run: its range rejects, and so does every range after it.
    worker.once('error', (error) => {
      failure ??= error;
      for (const resolve of waiting.splice(0)) resolve(worker);
    });
  }
  const acquire = () =>
    new Promise<Worker>((resolve) => {
      const w = idle.pop();
      if (w) resolve(w);
      else waiting.push(resolve);
    });
  const onWorker = async (from: number, to: number): Promise<LeafRangeResult> => {
    const worker = await acquire();
    if (failure) throw failure;
    try {
      return await new Promise<LeafRangeResult>((resolve, reject) => {
        const onError = (error: Error) => {
          worker.off('message', onMessage);
          reject(error);
        };
        const onMessage = (result: LeafRangeResult) => {
          worker.off('error', onError);
          resolve(result);
        };
        worker.once('message', onMessage);
        worker.once('error', onError);
        worker.postMessage({ from, to });
      });
    } finally {
      release(worker);
    }
  };
  const check = async (from: number): Promise<LeafRangeResult> => {
    const to = Math.min(end, from + size);
    // Let a worker's "ready" through first: the calling thread only fills in while none is.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (failure) throw failure;
    if (!anyReady && (workers.length === 0 || options.inlineWhileStarting !== false))
      return (inline ??= openLeafRangeChecker(setup)).check(from, to);
    return onWorker(from, to);
  };
  try {
    const inFlight: Promise<LeafRangeResult>[] = [];
    let next = 0;
    const fill = () => {
      while (next < end && inFlight.length < Math.max(1, workers.length) * 2) {
        const range = check(next);
        // If the consumer stops early (a gap), ranges still running must not surface as unhandled.
        range.catch(() => undefined);
        inFlight.push(range);
        next += size;
      }
    };
    fill();
    while (inFlight.length > 0) {
      const result = await inFlight.shift()!;
      fill();
      yield result;
    }
  } finally {
    inline?.close();
    // Nothing waits for the threads' teardown (about 35 ms of unmapping and closing): no result
    // depends on it, and terminated threads no longer keep the process alive.
    for (const worker of workers) {
      worker.unref();
      worker.terminate().catch(() => undefined);
    }
  }
}
