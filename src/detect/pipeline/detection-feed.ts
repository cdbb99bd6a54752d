import type { Kysely } from 'kysely';
import type { Clock } from '../../core/clock.js';
import type { OktaLogEvent } from '../../sources/okta/log-event.js';
import type { RawEvent } from '../../sources/okta/page-body.js';
import type { VigilDatabase } from '../../store/database-schema.js';
import type { Detection } from '../detection.js';
import type { DetectionPipeline } from './detection-pipeline.js';

export interface DetectionFeedOptions {
  readonly db: Kysely<VigilDatabase>;
  readonly pipeline: DetectionPipeline;
  readonly clock: Clock;
  /** Stores (and routes) one detection; the cursor moves only after it resolves. */
  readonly onDetection: (detection: Detection, source: string) => Promise<void>;
  /** How much history before the cursor to replay silently at start, to rebuild detector state. */
  readonly warmUpMs?: number;
  /** At most this many events of that history (the newest ones). */
  readonly warmUpMaxEvents?: number;
}

export interface FeedStart {
  readonly warmedUp: number;
  readonly caughtUp: number;
}

const PAGE = 2_000;
export const DEFAULT_WARM_UP_MS = 14 * 86_400_000;
export const DEFAULT_WARM_UP_MAX_EVENTS = 200_000;

/**
 * Detection over the custody store, in ledger order, exactly once per event across restarts.
 *
 * Custody commits a page first; detection follows and then records, per source, the last leaf index
 * it finished (`detection_cursors`). A crash in between leaves events past the mark, and `start`
 * detects them before anything new is collected. Alerts are deduplicated by key, so an event
 * detected twice (a crash after its alert was stored, before the mark moved) raises nothing new.
 *
 * Stateful detectors keep their state in memory (who signed in from where, which session came from
 * which network, open correlation windows). `start` rebuilds it by replaying the most recent stored
 * history before the mark without raising alerts, so a restart — or a `collect --once` run from
 * cron — sees the same attacks a process running continuously would.
 */
export class DetectionFeed {
  readonly #cursor = new Map<string, number>();

  constructor(private readonly o: DetectionFeedOptions) {}

  /** Warm-up, then catch-up of anything stored but not yet detected. */
  async start(source: string): Promise<FeedStart> {
    const row = await this.o.db
      .selectFrom('detection_cursors')
      .select('leaf_index')
      .where('source', '=', source)
      .executeTakeFirst();
    let cursor: number;
    if (row) cursor = Number(row.leaf_index);
    else {
      // A store written before the mark existed had detection run inline: take it as detected.
      // The mark is written now, so a crash later in this first run is caught up on the next.
      cursor = await this.#lastLeaf(source);
      await this.#mark(source, cursor);
    }
    this.#cursor.set(source, cursor);
    const warmedUp = await this.#warmUp(source, cursor);
    const caughtUp = await this.#catchUp(source);
    return { warmedUp, caughtUp };
  }

  /** A page custody just committed: `events` are leaves `firstLeaf`, `firstLeaf + 1`, ... */
  async stored(source: string, events: readonly RawEvent[], firstLeaf: number): Promise<void> {
    let cursor = this.#cursor.get(source);
    if (cursor === undefined) {
      await this.start(source);
      cursor = this.#cursor.get(source)!;
    }
    if (firstLeaf > cursor + 1) await this.#catchUp(source);
    cursor = this.#cursor.get(source)!;
    const fresh = events.slice(Math.max(0, cursor + 1 - firstLeaf));
    if (fresh.length === 0) return;
    for (const e of fresh) await this.#detect(source, e.value as unknown as OktaLogEvent);
    await this.#mark(source, firstLeaf + events.length - 1);
  }

  async #detect(source: string, event: OktaLogEvent): Promise<void> {
    for (const d of this.o.pipeline.process(event)) await this.o.onDetection(d, source);
  }

  async #warmUp(source: string, cursor: number): Promise<number> {
    if (cursor < 0) return 0;
    const last = await this.o.db
      .selectFrom('events')
      .select('published_ms')
      .where('source', '=', source)
      .where('leaf_index', '=', cursor)
      .executeTakeFirst();
    if (!last) return 0;
    const fromMs = Number(last.published_ms) - (this.o.warmUpMs ?? DEFAULT_WARM_UP_MS);
    const newest = await this.o.db
      .selectFrom('events')
      .select('leaf_index')
      .where('source', '=', source)
      .where('leaf_index', '<=', cursor)
      .where('published_ms', '>=', fromMs)
      .orderBy('leaf_index', 'desc')
      .limit(this.o.warmUpMaxEvents ?? DEFAULT_WARM_UP_MAX_EVENTS)
      .execute();
    const from = newest.at(-1);
    if (!from) return 0;
    let replayed = 0;
    for await (const { event } of this.#events(source, Number(from.leaf_index) - 1, cursor)) {
      this.o.pipeline.process(event); // state only: these events were detected before
      replayed++;
    }
    return replayed;
  }

  async #catchUp(source: string): Promise<number> {
    let count = 0;
    let done = this.#cursor.get(source) ?? -1;
    for await (const { leaf, event } of this.#events(source, done, Number.MAX_SAFE_INTEGER)) {
      await this.#detect(source, event);
      done = leaf;
      count++;
      if (count % PAGE === 0) await this.#mark(source, done);
    }
    if (count > 0) await this.#mark(source, done);
    return count;
  }

  /** Stored events with `after < leaf_index <= through`, in ledger order, a page at a time. */
  async *#events(
    source: string,
    after: number,
    through: number,
  ): AsyncIterable<{ leaf: number; event: OktaLogEvent }> {
    for (let from = after; ;) {
      const rows = await this.o.db
        .selectFrom('events')
        .select(['leaf_index', 'raw'])
        .where('source', '=', source)
        .where('leaf_index', '>', from)
        .where('leaf_index', '<=', through)
        .orderBy('leaf_index')
        .limit(PAGE)
        .execute();
      for (const r of rows) yield { leaf: Number(r.leaf_index), event: JSON.parse(r.raw) as OktaLogEvent };
      if (rows.length < PAGE) return;
      from = Number(rows.at(-1)!.leaf_index);
    }
  }

  async #lastLeaf(source: string): Promise<number> {
    const row = await this.o.db
      .selectFrom('events')
      .select((eb) => eb.fn.max('leaf_index').as('last'))
      .where('source', '=', source)
      .executeTakeFirst();
    return row?.last == null ? -1 : Number(row.last);
  }

  async #mark(source: string, leaf: number): Promise<void> {
    this.#cursor.set(source, leaf);
    const now = this.o.clock.now();
    await this.o.db
      .insertInto('detection_cursors')
      .values({ source, leaf_index: leaf, updated_at_ms: now })
      .onConflict((oc) => oc.column('source').doUpdateSet({ leaf_index: leaf, updated_at_ms: now }))
      .execute();
  }
}
