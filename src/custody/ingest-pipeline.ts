import type { CustodyStore, IngestResult } from './custody-store.js';
import type { PreparedEvent } from './prepared-page.js';

export type PageCursor = { nextUrl: string; highWaterMs: number | null } | null;

export interface IngestPipelineOptions {
  /** A transaction takes whole pages until it holds at least this many events. */
  readonly maxBatchEvents?: number;
  /** `push` waits while this many pages are queued or being written (memory stays bounded). */
  readonly maxQueuedPages?: number;
  /**
   * `push` also waits while the queued pages' verbatim events add up to this many characters (one
   * page over it is still taken alone, so a page as large as the body limits allow goes through).
   */
  readonly maxQueuedChars?: number;
  /** After each committed transaction, in order: its result and how many pages it held. */
  readonly onCommitted?: (result: IngestResult, pages: number) => Promise<void> | void;
}

interface Entry {
  readonly cursor: PageCursor;
  readonly prepared: Promise<PreparedEvent[]>;
  events?: PreparedEvent[];
  /** The verbatim events' length in characters, once prepared. */
  chars: number;
}

/** Defaults (issue 20): a few pages in flight, not the 48 (about 250 MB) queued before. */
export const DEFAULT_MAX_QUEUED_PAGES = 4;
/** About 4 pages of 1,000 Okta events (2.5 KB each). */
export const DEFAULT_MAX_QUEUED_CHARS = 10 * 2 ** 20;

/**
 * Writes pages to the store in the order they were pushed, while the pages behind them are still
 * being fetched or prepared (page-preparer.ts), so the store's writes overlap everything else.
 *
 * When the store falls behind, the pages waiting for it go into one transaction together, with the
 * last one's cursor. That keeps the custody rule (events, leaves and cursor commit together or not
 * at all) and writes each index page once per batch rather than once per page: on a large store the
 * random-keyed indexes (event id, session, IP) make per-page commits rewrite most of their pages.
 * A collector that keeps up with its provider writes every page as soon as it is prepared.
 */
export class IngestPipeline {
  readonly #queue: Entry[] = [];
  readonly #spaceWaiters: (() => void)[] = [];
  readonly #maxBatch: number;
  readonly #maxQueued: number;
  readonly #maxChars: number;
  #queuedChars = 0;
  #writer: Promise<void> | undefined;
  #failure: unknown;
  #failed = false;

  constructor(
    private readonly store: CustodyStore,
    private readonly source: string,
    private readonly options: IngestPipelineOptions = {},
  ) {
    // Measured on a 190,000-event backfill: 10,000 events a transaction gave 16,000 events/s,
    // 30,000 gave 18,500 (each index page is rewritten once per transaction); beyond, no gain.
    // But 48 queued pages of 1000 events held about 250 MB (issue 20: memory bounded by the work
    // in flight): the queue now holds a few pages, which also bounds a batch.
    this.#maxBatch = options.maxBatchEvents ?? 30_000;
    this.#maxQueued = Math.max(1, options.maxQueuedPages ?? DEFAULT_MAX_QUEUED_PAGES);
    this.#maxChars = options.maxQueuedChars ?? DEFAULT_MAX_QUEUED_CHARS;
  }

  /** Pages queued or being written, and their verbatim size: what the pipeline holds in memory. */
  get inFlight(): { pages: number; chars: number } {
    return { pages: this.#queue.length, chars: this.#queuedChars };
  }

  #full(): boolean {
    return (
      this.#queue.length >= this.#maxQueued || (this.#queue.length > 0 && this.#queuedChars >= this.#maxChars)
    );
  }

  /** Queues a page (or its preparation under way); waits while the queue is full. */
  async push(events: PreparedEvent[] | Promise<PreparedEvent[]>, cursor: PageCursor): Promise<void> {
    while (this.#full() && !this.#failed)
      await new Promise<void>((resolve) => this.#spaceWaiters.push(resolve));
    if (this.#failed) throw this.#failure;
    const entry: Entry = { cursor, prepared: Promise.resolve(events), chars: 0 };
    // Settled pages are visible to the writer without awaiting; a failure surfaces when it is reached.
    entry.prepared.then(
      (ready) => {
        entry.events = ready;
        entry.chars = ready.reduce((n, e) => n + e.raw.length, 0);
        // Counted only while the page is still queued (a failure empties the queue).
        if (this.#queue.includes(entry)) this.#queuedChars += entry.chars;
      },
      () => undefined,
    );
    this.#queue.push(entry);
    this.#writer ??= this.#write().finally(() => (this.#writer = undefined));
  }

  /** Waits until every pushed page is committed; throws the first failure. */
  async finish(): Promise<void> {
    while (this.#writer) await this.#writer;
    if (this.#failed) throw this.#failure;
  }

  async #write(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        // The store's writes are synchronous underneath: without this turn of the event loop,
        // replies from preparation threads (and responses from the provider) would never be read
        // between transactions, and no page behind the head would ever be seen ready.
        await new Promise<void>((resolve) => setImmediate(resolve));
        const head = this.#queue[0]!;
        const batch = [...(head.events ?? (await head.prepared))];
        let cursor = head.cursor;
        let pages = 1;
        for (const next of this.#queue.slice(1)) {
          if (batch.length >= this.#maxBatch || next.events === undefined) break;
          for (const e of next.events) batch.push(e);
          if (next.cursor) cursor = next.cursor;
          pages++;
        }
        const result = await this.store.ingest(this.source, batch, cursor);
        for (const done of this.#queue.splice(0, pages)) this.#queuedChars -= done.events ? done.chars : 0;
        for (const wake of this.#spaceWaiters.splice(0)) wake();
        await this.options.onCommitted?.(result, pages);
      }
    } catch (error) {
      this.#failed = true;
      this.#failure = error;
      this.#queue.length = 0;
      this.#queuedChars = 0;
      for (const wake of this.#spaceWaiters.splice(0)) wake();
    }
  }
}
