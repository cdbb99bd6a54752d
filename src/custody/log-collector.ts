import type { Clock } from '../core/clock.js';
import type { Random } from '../core/seeded-random.js';
import { isVigilError, VigilError } from '../core/vigil-error.js';
import type { LogSource } from '../sources/log-source.js';
import type { RawEvent } from '../sources/page-format.js';
import type { SourceErrorCode } from '../sources/errors.js';
import type { CustodyStore, IngestResult, RewrittenEvent } from './custody-store.js';
import type { CustodyErrorCode } from './errors.js';
import { IngestPipeline } from './ingest-pipeline.js';
import { inlinePreparer, type PagePreparer } from './page-preparer.js';
import type { PreparedEvent } from './prepared-page.js';

const DAY = 86_400_000;

export interface CollectorOptions {
  /** The provider's log, behind the provider port (sources/log-source.ts). */
  readonly source: LogSource;
  readonly store: CustodyStore;
  readonly clock: Clock;
  readonly random: Random;
  /** Where a first run starts (default: 90 days back, all the provider keeps). */
  readonly sinceMs?: number;
  /** How far before the newest event the overlap re-read starts. */
  readonly overlapMs?: number;
  readonly maxAttempts?: number;
  /**
   * The longest the provider may make one page wait, its rate-limit waits together (default 2
   * minutes; Okta's window is one minute). Asked for more, this source's run ends with
   * CUSTODY_WAIT_TOO_LONG and the next poll tries again: an hour's reset must not hold the collector.
   */
  readonly maxWaitMs?: number;
  /** How far ahead of now an event may be published and still move the high-water mark (default 1 h). */
  readonly maxFutureMs?: number;
  readonly signal?: AbortSignal;
  /** Where pages are parsed and hashed (worker threads in `vigil collect`); default: this thread. */
  readonly preparer?: PagePreparer;
  readonly onProgress?: (progress: CollectProgress) => void;
  /**
   * Every batch of newly stored events, after its transaction committed, in ledger order: they are
   * leaves `firstLeaf`, `firstLeaf + 1`, ... (detection hooks in here).
   */
  readonly onStored?: (events: readonly RawEvent[], firstLeaf: number) => Promise<void> | void;
  /** Versions of stored events the provider re-served with different bytes, once each, after commit. */
  readonly onRewritten?: (events: readonly RewrittenEvent[]) => Promise<void> | void;
}

export interface CollectProgress {
  source: string;
  pages: number;
  stored: number;
  duplicates: number;
  recovered: number;
  waits: number;
  waitedMs: number;
  retries: number;
  quarantined: number;
  /** Stored events the provider re-served with different bytes (rewritten_events). */
  rewritten: number;
  /** Events published beyond now + maxFutureMs: stored, flagged in quarantine, not the high-water mark. */
  future: number;
  newestPublished: string | null;
}

/**
 * Pulls one source's log until caught up, the way Okta advises for its System Log (okta-api.md
 * §1.3, §7): start from `since` once, then only ever follow the provider's next cursor, persisting it
 * with each page's events in one transaction.
 *
 * Completeness: polling orders by persistence time, so an event committed late still arrives after
 * the cursor. As a second line, each run ends with an overlap re-read: a bounded query over the last
 * `overlapMs` before the newest event seen (ending 20 s before now, Okta's advice for `until`), whose
 * events are deduplicated by id; anything it finds that polling missed is stored and counted as
 * `recovered`, which should stay 0.
 */
export class LogCollector {
  readonly progress: CollectProgress;

  constructor(private readonly o: CollectorOptions) {
    this.progress = {
      source: o.source.name,
      pages: 0,
      stored: 0,
      duplicates: 0,
      recovered: 0,
      waits: 0,
      waitedMs: 0,
      retries: 0,
      quarantined: 0,
      rewritten: 0,
      future: 0,
      newestPublished: null,
    };
  }

  /** Polls until a page comes back short (caught up), then runs the overlap re-read. */
  async collectUntilCaughtUp(): Promise<CollectProgress> {
    const { source, store, clock } = this.o;
    const cursor = await store.cursor(source.name);
    let url = cursor?.next_url ?? source.startCursor(this.o.sinceMs ?? clock.now() - 90 * DAY);
    let highWater =
      cursor?.high_water_ms === null || cursor === undefined ? null : Number(cursor.high_water_ms);
    // Page N is written while page N+1 is fetched and prepared; see ingest-pipeline.ts.
    const pipeline = new IngestPipeline(store, source.name, {
      onCommitted: (result, pages) => this.#account(result, pages),
    });
    // A full page always leads on; a link back to a page read this run is a loop (issue 19: a page
    // of duplicates linking to itself was fetched 359 times in 90 s).
    const read = new Set<string>([url]);
    try {
      for (;;) {
        const { events, next: nextUrl } = await this.#fetchPage(url);
        if (nextUrl === null)
          throw this.#error('CUSTODY_PROVIDER_ERROR', url, 'a polling page came without a next link');
        highWater = await this.#highWater(events, highWater, url);
        await pipeline.push(events, { nextUrl, highWaterMs: highWater });
        if (events.length < source.pageLimit) break;
        if (read.has(nextUrl))
          throw this.#error(
            'CUSTODY_NO_PROGRESS',
            url,
            `a full page links back to ${nextUrl === url ? 'itself' : 'a page already read'} this run`,
          );
        read.add(nextUrl);
        url = nextUrl;
      }
    } finally {
      // Whatever was fetched is committed (or the store's error surfaces) before the run returns.
      await pipeline.finish();
    }
    if (highWater !== null) await this.#overlapReread(highWater);
    await store.checkpointIfDue(source.name, { endOfRun: true });
    return this.progress;
  }

  /**
   * The high-water mark after `events`. An event published further ahead than maxFutureMs cannot be
   * trusted as the mark (issue 19: one event in year 9999 disabled the overlap re-read for good): it
   * is stored like any other, flagged in the quarantine table, and left out of the mark.
   */
  async #highWater(
    events: readonly PreparedEvent[],
    highWater: number | null,
    url: string,
  ): Promise<number | null> {
    const bound = this.o.clock.now() + (this.o.maxFutureMs ?? 3_600_000);
    for (const e of events) {
      if (e.publishedMs > bound) {
        this.progress.future++;
        await this.o.store.quarantine(
          this.o.source.name,
          url,
          'CUSTODY_FUTURE_EVENT',
          `event ${e.uuid} is published at ${e.published}, beyond now + ${this.o.maxFutureMs ?? 3_600_000} ms: stored, not trusted as the high-water mark`,
          e.raw,
        );
      } else if (highWater === null || e.publishedMs > highWater) highWater = e.publishedMs;
    }
    return highWater;
  }

  async #overlapReread(highWater: number): Promise<void> {
    const until = this.o.clock.now() - 20_000;
    const since = Math.max(highWater - (this.o.overlapMs ?? 15 * 60_000), this.o.clock.now() - 90 * DAY);
    if (until <= since) return;
    let url: string | null = this.o.source.windowCursor(since, until);
    const read = new Set<string>();
    while (url !== null) {
      read.add(url);
      const { events, next } = await this.#fetchPage(url);
      const result = await this.o.store.ingest(this.o.source.name, events, null);
      this.progress.recovered += result.stored.length;
      await this.#account({ ...result, duplicates: 0 }, 1);
      // A bounded query's pages end; one that links back is a loop.
      if (next !== null && read.has(next))
        throw this.#error('CUSTODY_NO_PROGRESS', url, 'an overlap page links back to a page already read');
      url = next;
    }
  }

  async #account({ stored, duplicates, treeSize, rewritten }: IngestResult, pages: number) {
    this.progress.pages += pages;
    this.progress.stored += stored.length;
    this.progress.duplicates += duplicates;
    this.progress.rewritten += rewritten.length;
    if (rewritten.length > 0) await this.o.onRewritten?.(rewritten);
    const newest = stored.at(-1)?.published;
    if (newest && (!this.progress.newestPublished || newest > this.progress.newestPublished)) {
      this.progress.newestPublished = newest;
    }
    if (stored.length > 0) await this.o.onStored?.(stored, treeSize - stored.length);
    this.o.onProgress?.(this.progress);
  }

  /** One page, with the rate budget, retries and quarantine of bad bodies. */
  async #fetchPage(url: string): Promise<{ events: PreparedEvent[]; next: string | null }> {
    const { clock, source } = this.o;
    const maxAttempts = this.o.maxAttempts ?? 10;
    const waited = { ms: 0 };
    for (let attempt = 1; ; attempt++) {
      await this.#rateWait(source.waitBeforeRequestMs(clock.now()), waited, url);
      const outcome = await source.fetchPage(url, this.o.signal);
      if (outcome.kind === 'throttled') {
        // No reset, or one already past (a negative or stale value): the bounded backoff.
        await this.#rateWait(outcome.waitMs ?? this.#backoffMs(attempt), waited, url);
        if (attempt >= maxAttempts * 3)
          throw this.#error('CUSTODY_RETRIES_EXHAUSTED', url, 'still rate limited');
        continue;
      }
      if (outcome.kind === 'retry') {
        await this.#retry(attempt, maxAttempts, url, outcome.why, outcome.code);
        continue;
      }
      if (outcome.kind === 'refused') throw this.#error('CUSTODY_PROVIDER_ERROR', url, outcome.why);
      if (outcome.kind === 'bad') {
        await this.#quarantine(attempt, maxAttempts, url, outcome.error, outcome.excerpt);
        continue;
      }
      try {
        const events = await (this.o.preparer ?? inlinePreparer).prepare(
          source.format,
          source.name,
          outcome.body,
        );
        return { events, next: outcome.next };
      } catch (error) {
        if (!isVigilError(error)) throw error;
        await this.#quarantine(attempt, maxAttempts, url, error, outcome.body);
      }
    }
  }

  /**
   * Keeps a bad page as evidence and asks again (a bad page may be transient); once attempts run out,
   * the run fails with the page's own code (SOURCE_BODY_TOO_LARGE, SOURCE_AMBIGUOUS_JSON, ...).
   */
  async #quarantine(attempt: number, maxAttempts: number, url: string, error: VigilError, body: string) {
    this.progress.quarantined++;
    await this.o.store.quarantine(this.o.source.name, url, error.code, error.message, body);
    if (attempt >= maxAttempts)
      throw new VigilError(
        error.code,
        `source ${this.o.source.name}, page ${url}: ${error.message}; quarantined, ${attempt} attempts`,
        { category: error.category, details: { ...error.details, source: this.o.source.name, url } },
      );
    await this.#retry(attempt, maxAttempts, url, `bad page (${error.message}); quarantined`);
  }

  async #retry(attempt: number, maxAttempts: number, url: string, why: string, code?: SourceErrorCode) {
    if (attempt >= maxAttempts)
      throw this.#error('CUSTODY_RETRIES_EXHAUSTED', url, `${why}, ${attempt} attempts`, code);
    this.progress.retries++;
    await this.#wait(this.#backoffMs(attempt));
  }

  /** Exponential backoff with full jitter (seeded), capped at one minute. */
  #backoffMs(attempt: number): number {
    const cap = Math.min(60_000, 500 * 2 ** (attempt - 1));
    return Math.round(cap / 2 + this.o.random.next() * (cap / 2));
  }

  /** A wait the provider asks for, within this page's share of maxWaitMs. */
  async #rateWait(ms: number, waited: { ms: number }, url: string): Promise<void> {
    if (ms <= 0) return;
    const cap = this.o.maxWaitMs ?? 120_000;
    if (waited.ms + ms > cap)
      throw this.#error(
        'CUSTODY_WAIT_TOO_LONG',
        url,
        `the provider asks to wait ${Math.ceil(ms / 1000)} s (${Math.ceil(waited.ms / 1000)} s waited already), over the ${Math.ceil(cap / 1000)} s cap (collect.maxWaitSeconds); the next poll tries again`,
      );
    waited.ms += ms;
    await this.#wait(ms);
  }

  async #wait(ms: number): Promise<void> {
    if (ms <= 0) return;
    this.progress.waits++;
    this.progress.waitedMs += ms;
    this.o.onProgress?.(this.progress);
    await this.o.clock.sleep(ms, this.o.signal);
  }

  #error(
    code: CustodyErrorCode,
    url: string,
    why: string,
    cause?: SourceErrorCode,
  ): VigilError<CustodyErrorCode> {
    return new VigilError(code, `source ${this.o.source.name}, page ${url}: ${why}`, {
      category: 'external',
      details: { source: this.o.source.name, url, ...(cause ? { cause } : {}) },
    });
  }
}
