import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { RANGE_LEVEL, type LeafRangeResult } from '../../verify/leaf-check.js';

export interface ParallelLeafRangeOptions {
  /** The SQLite database file (each worker opens it read-only). */
  readonly dbFile: string;
  readonly workers: number;
  /** Ranges of 2^rangeLevel leaves (default RANGE_LEVEL); small in tests, to get many ranges. */
  readonly rangeLevel?: number;
  /** Below this many leaves, worker start-up costs more than it saves. */
  readonly minLeaves?: number;
  /** The compiled worker script; by default the one beside this module. */
  readonly workerScript?: string;
}

const DEFAULT_SCRIPT = fileURLToPath(new URL('./leaf-range-worker.js', import.meta.url));

/** Whether worker threads can run here: the compiled worker exists (not when running from sources). */
export function parallelLeafRangesAvailable(script = DEFAULT_SCRIPT): boolean {
  return existsSync(script);
}

/**
 * Leaf ranges [0, end) checked by a pool of worker threads, yielded in index order. At most two
 * ranges per worker are in flight, so memory stays bounded however large the ledger.
 */
export async function* parallelLeafRanges(
  options: ParallelLeafRangeOptions,
  source: string,
  deep: boolean,
  end: number,
): AsyncIterable<LeafRangeResult> {
  const rangeLevel = options.rangeLevel ?? RANGE_LEVEL;
  const size = 2 ** rangeLevel;
  const workers = Array.from(
    { length: Math.max(1, options.workers) },
    () =>
      new Worker(options.workerScript ?? DEFAULT_SCRIPT, {
        workerData: { dbFile: options.dbFile, source, deep, rangeLevel },
      }),
  );
  const idle = [...workers];
  const waiting: ((w: Worker) => void)[] = [];
  const release = (w: Worker) => {
    const next = waiting.shift();
    if (next) next(w);
    else idle.push(w);
  };
  const acquire = () =>
    new Promise<Worker>((resolve) => {
      const w = idle.pop();
      if (w) resolve(w);
      else waiting.push(resolve);
    });
  const check = async (from: number): Promise<LeafRangeResult> => {
    const worker = await acquire();
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
        worker.postMessage({ from, to: Math.min(end, from + size) });
      });
    } finally {
      release(worker);
    }
  };
  try {
    const inFlight: Promise<LeafRangeResult>[] = [];
    let next = 0;
    const fill = () => {
      while (next < end && inFlight.length < workers.length * 2) {
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
    // Nothing waits for the threads' teardown (about 35 ms of unmapping and closing): no result
    // depends on it, and terminated threads no longer keep the process alive.
    for (const worker of workers) {
      worker.unref();
      worker.terminate().catch(() => undefined);
    }
  }
}
