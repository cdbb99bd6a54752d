import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { VigilError } from '../core/vigil-error.js';
import type { PageFormat } from '../sources/page-format.js';
import {
  fromErrorWire,
  fromPreparedPageWire,
  preparePage,
  type ErrorWire,
  type PreparedEvent,
  type PreparedPageWire,
} from './prepared-page.js';

/**
 * Turns page bodies into prepared events (prepared-page.ts). Parsing, canonicalizing and hashing
 * cost more than the store's writes, so on a machine with more than one core they run on worker
 * threads, and the main thread writes one page while the next is prepared.
 */
export interface PagePreparer {
  /** The events of one page of `source`, read with its provider's page format. */
  prepare(format: PageFormat, source: string, body: string): Promise<PreparedEvent[]>;
  close(): Promise<void>;
}

/** On the calling thread: for tests, one-core machines, and running from the TypeScript sources. */
export const inlinePreparer: PagePreparer = {
  prepare: (format, source, body) => Promise.resolve().then(() => preparePage(format, source, body)),
  close: () => Promise.resolve(),
};

const WORKER_SCRIPT = fileURLToPath(new URL('./prepare-page-worker.js', import.meta.url));

/**
 * Bodies below this size are prepared on the calling thread: a thread costs about 10 MB and its
 * start-up, more than preparing a small page (issue 20: a replay of a page or two starts no thread
 * at all; `vigil collect` starts none whatever it reads).
 */
export const INLINE_BELOW_CHARS = 256 * 1024;

/** The preparation threads createPagePreparer starts by default: one per core beside this one. */
export function defaultPreparationThreads(): number {
  return Math.max(0, availableParallelism() - 1);
}

/**
 * Worker threads when they can run here (the compiled worker exists and there is more than one
 * core), otherwise the calling thread. `workers` defaults to one per core beside the main thread's,
 * which writes to the store: measured on two cores, a second worker slows ingest by a quarter, since
 * it takes CPU from the writer.
 */
export function createPagePreparer(
  options: { workers?: number; script?: string; inlineBelowChars?: number } = {},
): PagePreparer {
  const script = options.script ?? WORKER_SCRIPT;
  const workers = options.workers ?? defaultPreparationThreads();
  if (workers < 1 || !existsSync(script)) return inlinePreparer;
  return new WorkerPreparer(script, workers, options.inlineBelowChars ?? INLINE_BELOW_CHARS);
}

interface Pending {
  readonly source: string;
  readonly body: string;
  readonly worker: Worker;
  resolve(events: PreparedEvent[]): void;
  reject(error: Error): void;
}

type Reply = { id: number; page: PreparedPageWire } | { id: number; error: ErrorWire };

class WorkerPreparer implements PagePreparer {
  #workers: Worker[] = [];
  readonly #load = new Map<Worker, number>();
  readonly #pending = new Map<number, Pending>();
  #nextId = 0;
  #failed: Error | undefined;

  constructor(
    private readonly script: string,
    private readonly count: number,
    private readonly inlineBelow: number,
  ) {}

  /** The threads, started with the first page large enough to need them. */
  #start(): Worker[] {
    if (this.#workers.length > 0) return this.#workers;
    this.#workers = Array.from({ length: this.count }, () => new Worker(this.script));
    for (const worker of this.#workers) {
      this.#load.set(worker, 0);
      // Idle workers must not keep the process alive; pending work refs them (see prepare).
      worker.unref();
      worker.on('message', (reply: Reply) => this.#settle(reply));
      worker.on('error', (error) => this.#fail(error));
      worker.on('exit', (code) => {
        if (code !== 0) this.#fail(new Error(`page-preparation worker exited with code ${code}`));
      });
    }
    return this.#workers;
  }

  prepare(format: PageFormat, source: string, body: string): Promise<PreparedEvent[]> {
    if (this.#failed) return Promise.reject(this.#failed);
    if (body.length < this.inlineBelow) return inlinePreparer.prepare(format, source, body);
    const workers = this.#start();
    // The least-loaded worker: pages differ in size, so plain round robin would queue behind a big one.
    let worker = workers[0]!;
    for (const w of workers) if (this.#load.get(w)! < this.#load.get(worker)!) worker = w;
    const id = this.#nextId++;
    return new Promise<PreparedEvent[]>((resolve, reject) => {
      this.#pending.set(id, { source, body, worker, resolve, reject });
      if (this.#load.get(worker) === 0) worker.ref();
      this.#load.set(worker, this.#load.get(worker)! + 1);
      // The format crosses by name: the worker looks up the same one (sources/page-formats.ts).
      worker.postMessage({ id, format: format.name, body });
    });
  }

  #settle(reply: Reply): void {
    const pending = this.#pending.get(reply.id);
    if (!pending) return;
    this.#pending.delete(reply.id);
    const load = this.#load.get(pending.worker)! - 1;
    this.#load.set(pending.worker, load);
    if (load === 0) pending.worker.unref();
    if ('error' in reply) pending.reject(fromErrorWire(reply.error));
    else pending.resolve(fromPreparedPageWire(pending.source, pending.body, reply.page));
  }

  #fail(cause: Error): void {
    this.#failed ??= new VigilError('CUSTODY_PREPARER_FAILED', `page preparation failed: ${cause.message}`, {
      cause,
    });
    for (const p of this.#pending.values()) p.reject(this.#failed);
    this.#pending.clear();
  }

  async close(): Promise<void> {
    this.#failed ??= new VigilError('CUSTODY_PREPARER_FAILED', 'page preparer closed');
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }
}
